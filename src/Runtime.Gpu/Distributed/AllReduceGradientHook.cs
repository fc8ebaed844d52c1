using System;
using System.Numerics.Tensors;

namespace Dsl;

/// <summary>
/// DDP's gradient hook: each bucket's gradients are summed over every rank by an all-reduce as soon
/// as the program hands the bucket over, then divided by the world size, so every rank applies the
/// same mean gradient. A user's hook, if any, runs after, on the averaged gradients.
/// </summary>
internal sealed class AllReduceGradientHook : GradientHook
{
    private readonly MpiWorld _world;
    private readonly GradientHook? _then;
    private readonly float _scale;
    private float[] _staging = Array.Empty<float>();

    public AllReduceGradientHook(MpiWorld world, GradientHook? then)
    {
        _world = world;
        _then = then;
        _scale = 1f / world.Size;
    }

    /// <summary>The step being all-reduced, for a timeout's message.</summary>
    public long Step { get; set; }

    public override void OnBucketReady(GradientBucket bucket, BucketGradients gradients)
    {
        string what = $"the gradient all-reduce of bucket {bucket.Index} ({string.Join(", ", bucket.Parameters)}) at step {Step}";
        if (gradients.IsOnHost)
        {
            Span<float> values = gradients.HostSpan;
            _world.AllReduceSum(values, what);
            TensorPrimitives.Multiply(values, _scale, values);
        }
        else
        {
            // A device's gradients go through the host until the runtime has a device transport.
            if (_staging.Length < gradients.Length)
                _staging = new float[gradients.Length];
            Span<float> values = _staging.AsSpan(0, gradients.Length);
            gradients.CopyTo(values);
            _world.AllReduceSum(values, what);
            TensorPrimitives.Multiply(values, _scale, values);
            gradients.CopyFrom(values);
        }

        _then?.OnBucketReady(bucket, gradients);
    }
}
