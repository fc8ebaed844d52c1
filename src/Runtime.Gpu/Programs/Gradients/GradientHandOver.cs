using System;

namespace Dsl;

/// <summary>
/// One training step's hand-over of buckets to the <see cref="GradientHook"/> while the backward
/// pass runs: counts each bucket's parameters as their gradients become final and calls the hook
/// with the bucket when the last one is.
/// </summary>
internal sealed class GradientHandOver
{
    private GradientHook? _hook;
    private GradientBucketPlan? _plan;
    private int[] _waiting = Array.Empty<int>();

    /// <summary>Starts a step's hand-over to <paramref name="hook"/> in <paramref name="plan"/>'s buckets.</summary>
    public void Arm(GradientHook hook, GradientBucketPlan plan)
    {
        _hook = hook;
        _plan = plan;
        if (_waiting.Length != plan.Buckets.Count)
            _waiting = new int[plan.Buckets.Count];
        for (int b = 0; b < _waiting.Length; b++)
            _waiting[b] = plan.Members(b);
    }

    /// <summary>Ends the hand-over without calling the hook again (a step that threw).</summary>
    public void Disarm()
    {
        _hook = null;
        _plan = null;
    }

    /// <summary>Parameter bucket <paramref name="parameterBucket"/>'s gradient is final in <paramref name="gradients"/>; hands its bucket over if it was the last.</summary>
    public void Final(int parameterBucket, float[] gradients)
    {
        if (_hook is null)
            return;
        int bucket = _plan!.BucketOf(parameterBucket);
        if (--_waiting[bucket] == 0)
            HandOver(bucket, gradients);
    }

    /// <summary>Hands over the buckets not yet handed (parameters no step wrote, whose gradient is zero from the start), then lets the hook finish.</summary>
    public void Complete(float[] gradients)
    {
        if (_hook is not { } hook)
            return;
        for (int b = 0; b < _waiting.Length; b++)
            if (_waiting[b] > 0)
                HandOver(b, gradients);
        Disarm();
        hook.CompleteBuckets();
    }

    private void HandOver(int bucket, float[] gradients)
    {
        _waiting[bucket] = 0;
        GradientBucket b = _plan!.Buckets[bucket];
        _hook!.OnBucketReady(b, new BucketGradients(gradients, b.Offset, b.Length));
    }
}
