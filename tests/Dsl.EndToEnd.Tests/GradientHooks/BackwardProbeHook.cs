using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Dsl.EndToEnd.Tests.GradientHooks;

/// <summary>
/// A gradient hook that halves every gradient and records, for each call, the bucket and whether
/// the call came from inside the generated backward pass (<c>ComputeGradients</c> on the call
/// stack) rather than after it; and, for each <see cref="CompleteBuckets"/>, how many buckets it
/// had been handed since the last one.
/// </summary>
internal sealed class BackwardProbeHook : GradientHook
{
    private int _sinceComplete;

    /// <summary>Each call's bucket index and whether the backward pass was still running.</summary>
    public List<(int Bucket, bool InsideBackward)> Calls { get; } = new();

    /// <summary>For each <see cref="CompleteBuckets"/> call, the buckets handed over before it.</summary>
    public List<int> Completions { get; } = new();

    public override void OnBucketReady(GradientBucket bucket, BucketGradients gradients)
    {
        bool insideBackward = new StackTrace().GetFrames().Any(f => f.GetMethod()?.Name == "ComputeGradients");
        Calls.Add((bucket.Index, insideBackward));
        _sinceComplete++;
        gradients.Scale(0.5f);
    }

    public override void CompleteBuckets()
    {
        Completions.Add(_sinceComplete);
        _sinceComplete = 0;
    }
}
