using System.Collections.Generic;

namespace Dsl.EndToEnd.Tests.GradientHooks;

/// <summary>A gradient hook that halves every gradient and records the buckets it saw, in order, and where their gradients lived.</summary>
internal sealed class HalvingHook : GradientHook
{
    /// <summary>Each call's bucket index and whether its gradients were in host memory.</summary>
    public List<(int Bucket, bool OnHost)> Calls { get; } = new();

    public override void OnBucketReady(GradientBucket bucket, BucketGradients gradients)
    {
        Calls.Add((bucket.Index, gradients.IsOnHost));
        gradients.Scale(0.5f);
    }
}
