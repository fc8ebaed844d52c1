namespace Dsl;

/// <summary>
/// Runs between a training step's backward pass and its update, once per
/// <see cref="GradientBucket"/> in the order the buckets' gradients become final, on every backend
/// (set it with <see cref="CompiledProgram.GradientHook"/>): the place where data-parallel training
/// all-reduces the gradients, or where a user clips or scales them. Whatever it leaves in the
/// bucket's gradients when <see cref="CompleteBuckets"/> returns is what the optimizer applies.
/// </summary>
/// <remarks>
/// The CPU program's step in parts calls it for each bucket just before that bucket's update, while
/// later buckets are still being computed. The whole-gradient path of the CPU program calls it
/// during the backward pass, as soon as a bucket's last gradient is final, and calls
/// <see cref="CompleteBuckets"/> after the backward pass, before the update: a hook may start work
/// on a bucket (a non-blocking all-reduce) and finish it there. On that path a bucket can be handed
/// over before the step's loss is known to be finite; such a step then throws before it updates.
/// The OpenCL program calls every bucket after the backward pass, then <see cref="CompleteBuckets"/>.
/// <see cref="CompiledProgram.ValueAndGrad(Batch, System.Span{float})"/> does not update, so it
/// does not call the hook; a Trainer accumulating gradients over several batches calls it on the
/// accumulated gradient before its host update.
/// </remarks>
public abstract class GradientHook
{
    /// <summary>Called once per bucket per training step, with access to the bucket's gradients where they live.</summary>
    /// <param name="bucket">Which parameters, and where in the flat gradient.</param>
    /// <param name="gradients">The bucket's gradients: a host span on the CPU, a device range on a device.</param>
    public abstract void OnBucketReady(GradientBucket bucket, BucketGradients gradients);

    /// <summary>
    /// Called once per training step after the last bucket and before any parameter of a bucket
    /// handed over since the last call is updated; a hook that started work in
    /// <see cref="OnBucketReady"/> finishes it here. The step in parts, which updates each bucket
    /// right after handing it over, does not call it: there the bucket's memory is reused as soon
    /// as it is updated, so <see cref="OnBucketReady"/> must finish its work before it returns.
    /// </summary>
    public virtual void CompleteBuckets()
    {
    }

    /// <summary>Calls <see cref="OnBucketReady"/> for every bucket of a flat gradient in host memory, in order, then <see cref="CompleteBuckets"/>.</summary>
    internal void RunOver(System.Collections.Generic.IReadOnlyList<GradientBucket> buckets, System.Span<float> gradients)
    {
        for (int i = 0; i < buckets.Count; i++)
            OnBucketReady(buckets[i], new BucketGradients(gradients.Slice(buckets[i].Offset, buckets[i].Length)));
        CompleteBuckets();
    }
}
