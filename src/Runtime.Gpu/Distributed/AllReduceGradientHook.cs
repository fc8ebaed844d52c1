using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Dsl;

/// <summary>
/// DDP's gradient hook: each bucket's gradients are summed over every rank by an all-reduce as soon
/// as the program hands the bucket over, then divided by the world size, so every rank applies the
/// same mean gradient. A user's hook, if any, runs after, on the averaged gradients.
/// </summary>
/// <remarks>
/// On the CPU program's whole-gradient path the all-reduce is started without waiting
/// (<c>MPI_Iallreduce</c>) while the backward pass goes on computing earlier layers' gradients;
/// each later hand-over lets Open MPI move the started ones along (it progresses only inside MPI
/// calls), and <see cref="CompleteBuckets"/> waits for them all before the update. Elsewhere (the
/// step in parts, a device's gradients, accumulated gradients) the bucket's memory is valid only
/// during the call, so the all-reduce completes before <see cref="OnBucketReady"/> returns.
/// </remarks>
internal sealed unsafe class AllReduceGradientHook : GradientHook
{
    private readonly MpiWorld _world;
    private readonly GradientHook? _then;
    private readonly float _scale;
    private readonly List<Started> _started = new();
    private float[] _staging = Array.Empty<float>();
    private GCHandle _pinned;

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
        if (gradients.Deferrable is var (array, offset))
        {
            Start(bucket, array, offset);
            return;
        }

        string what = Describing(bucket);
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

    /// <summary>Waits for every all-reduce started this step, in the order started, averages each bucket and hands it to the user's hook.</summary>
    public override void CompleteBuckets()
    {
        // A wait that times out throws with the array still pinned and the other requests started:
        // MPI cannot cancel a collective and may still write the array, so it stays pinned until
        // the job ends (the Trainer aborts it).
        for (int i = 0; i < _started.Count; i++)
        {
            Started s = _started[i];
            nint request = s.Request;
            _world.Wait(ref request, Describing(s.Bucket));
            Span<float> values = s.Array.AsSpan(s.Bucket.Offset, s.Bucket.Length);
            TensorPrimitives.Multiply(values, _scale, values);
            _then?.OnBucketReady(s.Bucket, new BucketGradients(values));
        }

        _started.Clear();
        if (_pinned.IsAllocated)
            _pinned.Free();

        _then?.CompleteBuckets();
    }

    private void Start(GradientBucket bucket, float[] array, int offset)
    {
        // MPI reads and writes the memory until the request completes: the array stays pinned until CompleteBuckets.
        if (!_pinned.IsAllocated)
            _pinned = GCHandle.Alloc(array, GCHandleType.Pinned);
        else if (!ReferenceEquals(_pinned.Target, array))
            throw new InvalidOperationException("A step handed over buckets of two different gradient arrays.");
        float* values = (float*)_pinned.AddrOfPinnedObject() + offset;
        _started.Add(new Started(bucket, array, _world.StartAllReduceSum(values, bucket.Length)));
        // Move the earlier buckets' transfers along while the backward pass goes on.
        for (int i = 0; i < _started.Count; i++)
        {
            nint request = _started[i].Request;
            _world.Progress(ref request);
            _started[i] = _started[i] with { Request = request };
        }
    }

    private string Describing(GradientBucket bucket) =>
        $"the gradient all-reduce of bucket {bucket.Index} ({bucket.Parameters.Count} parameter(s): {bucket.Parameters[0]}{(bucket.Parameters.Count > 1 ? ", ..." : "")}) at step {Step}";

    private readonly record struct Started(GradientBucket Bucket, float[] Array, nint Request);
}
