namespace Dsl;

/// <summary>
/// Runs between a training step's backward pass and its update, once per
/// <see cref="GradientBucket"/> in the order the buckets' gradients become final, on every backend
/// (set it with <see cref="CompiledProgram.GradientHook"/>): the place where data-parallel training
/// all-reduces the gradients, or where a user clips or scales them. Whatever it leaves in the
/// bucket's gradients is what the optimizer applies.
/// </summary>
/// <remarks>
/// The CPU program's step in parts calls it for each bucket just before that bucket's update, while
/// later buckets are still being computed; the whole-gradient path (and the OpenCL program) calls
/// every bucket after the backward pass, before the update. A step whose loss is not finite throws
/// before any call. <see cref="CompiledProgram.ValueAndGrad(Batch, System.Span{float})"/> does not
/// update, so it does not call the hook; a Trainer accumulating gradients over several batches
/// calls it on the accumulated gradient before its host update.
/// </remarks>
public abstract class GradientHook
{
    /// <summary>Called once per bucket per training step, with access to the bucket's gradients where they live.</summary>
    /// <param name="bucket">Which parameters, and where in the flat gradient.</param>
    /// <param name="gradients">The bucket's gradients: a host span on the CPU, a device range on a device.</param>
    public abstract void OnBucketReady(GradientBucket bucket, BucketGradients gradients);

    /// <summary>Calls <see cref="OnBucketReady"/> for every bucket of a flat gradient in host memory, in order.</summary>
    internal void RunOver(System.Collections.Generic.IReadOnlyList<GradientBucket> buckets, System.Span<float> gradients)
    {
        for (int i = 0; i < buckets.Count; i++)
            OnBucketReady(buckets[i], new BucketGradients(gradients.Slice(buckets[i].Offset, buckets[i].Length)));
    }
}
