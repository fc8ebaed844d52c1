using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>The program's side of the gradient hook: its buckets, their size cap, and handing them over as the backward pass makes them final.</summary>
public abstract partial class CompiledProgram
{
    private readonly GradientHandOver _handOver = new();
    private GradientBucketPlan? _merged;
    private GradientBucketPlan? _perParameter;
    private long _bucketCapBytes;

    /// <summary>
    /// Runs between each training step's backward pass and its update, once per bucket of
    /// <see cref="GradientBuckets"/> (see <see cref="Dsl.GradientHook"/>); null, the default, costs
    /// one check per step. <see cref="TrainerOptions.GradientHook"/> sets it on the Trainer's program.
    /// </summary>
    public GradientHook? GradientHook { get; set; }

    /// <summary>
    /// The buckets the <see cref="GradientHook"/> is called with, in the order their gradients become
    /// final; empty without a training step. One per parameter unless <see cref="GradientBucketCapBytes"/>
    /// merges them.
    /// </summary>
    public IReadOnlyList<GradientBucket> GradientBuckets => _merged?.Buckets ?? ParameterBuckets;

    /// <summary>
    /// The largest bucket, in bytes of gradient, that neighbouring parameters are merged into (PyTorch
    /// DDP's <c>bucket_cap_mb</c>, in bytes); 0, the default, keeps one bucket per parameter. Merged
    /// buckets span several parameters' gradients, so a training step with a hook then computes the
    /// whole gradient and hands each bucket over as soon as its last gradient is final, instead of
    /// updating each parameter as its gradient is final.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long GradientBucketCapBytes
    {
        get => _bucketCapBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _bucketCapBytes = value;
            _merged = value == 0 ? null : GradientBucketPlan.Merge(ParameterBuckets, value);
        }
    }

    /// <summary>One bucket per parameter, in the order the backward pass makes their gradients final (the generated program's table).</summary>
    protected virtual IReadOnlyList<GradientBucket> ParameterBuckets => Array.Empty<GradientBucket>();

    /// <summary>
    /// Whether the hook, if any, sees one parameter at a time, so that the training step may update
    /// each parameter as soon as its gradient is final (the step in parts): true without a hook or
    /// without merged buckets.
    /// </summary>
    protected bool HooksEachParameter => GradientHook is null || _merged is null;

    /// <summary>
    /// Starts handing buckets to the <see cref="GradientHook"/> as the backward pass of a training step
    /// on the whole gradient makes them final (<see cref="GradientFinal"/>); does nothing without a hook.
    /// </summary>
    protected void BeginGradientHandOver()
    {
        if (GradientHook is { } hook)
            _handOver.Arm(hook, _merged ?? (_perParameter ??= GradientBucketPlan.PerParameter(ParameterBuckets)));
    }

    /// <summary>
    /// Called by the backward pass when parameter bucket <paramref name="parameterBucket"/> (an index
    /// into <see cref="ParameterBuckets"/>) is final in <paramref name="gradients"/>: hands its bucket
    /// to the hook once all of the bucket's parameters are, during a training step; otherwise (no
    /// hook, <c>ValueAndGrad</c>) does nothing.
    /// </summary>
    /// <param name="parameterBucket">The parameter's bucket.</param>
    /// <param name="gradients">The flat gradient, laid out like the parameters.</param>
    protected void GradientFinal(int parameterBucket, float[] gradients) => _handOver.Final(parameterBucket, gradients);

    /// <summary>
    /// Ends the hand-over after the backward pass and before the update: hands over any bucket no
    /// step wrote and lets the hook finish what it started (<see cref="GradientHook.CompleteBuckets"/>).
    /// </summary>
    /// <param name="gradients">The flat gradient.</param>
    protected void EndGradientHandOver(float[] gradients) => _handOver.Complete(gradients);

    /// <summary>Calls <paramref name="hook"/> for every bucket of a flat gradient in host memory, in order.</summary>
    /// <param name="hook">The hook.</param>
    /// <param name="gradients">The flat gradient, laid out like the parameters.</param>
    protected void RunGradientHook(GradientHook hook, Span<float> gradients)
    {
        ArgumentNullException.ThrowIfNull(hook);
        hook.RunOver(GradientBuckets, gradients);
    }

    /// <summary>Calls <paramref name="hook"/> for every bucket of a flat gradient in a device buffer, in order.</summary>
    /// <param name="hook">The hook.</param>
    /// <param name="gradients">The device's flat gradient, laid out like the parameters.</param>
    protected void RunGradientHook(GradientHook hook, DeviceBuffer gradients)
    {
        ArgumentNullException.ThrowIfNull(hook);
        IReadOnlyList<GradientBucket> buckets = GradientBuckets;
        for (int i = 0; i < buckets.Count; i++)
            hook.OnBucketReady(buckets[i], new BucketGradients(gradients, buckets[i].Offset, buckets[i].Length));
        hook.CompleteBuckets();
    }

    /// <summary>
    /// Replaces the optimizer state the training step updates with <paramref name="state"/>, made by
    /// a training strategy (ZeRO-1's sharded state) for the same parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The state is for another number of parameters.</exception>
    /// <exception cref="NotSupportedException">The program keeps its optimizer state elsewhere (a device program).</exception>
    internal void ReplaceOptimizerState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (OptimizerState is { } current && state.ParameterCount != current.ParameterCount)
            throw new ArgumentException($"The state is for {state.ParameterCount} parameters; the program's optimizer updates {current.ParameterCount}.", nameof(state));
        if (!TryReplaceOptimizerState(state))
            throw new NotSupportedException($"{ProgramName} on {Device.Name} keeps its optimizer state on the device; a sharded optimizer (Strategy.ShardedOptimizer) runs on the CPU program only.");
    }

    /// <summary>Makes <paramref name="state"/> the optimizer state the training step updates; false where the program cannot (its state lives on a device).</summary>
    /// <param name="state">A state for as many parameters as the program's own.</param>
    /// <returns>Whether the state was replaced.</returns>
    protected virtual bool TryReplaceOptimizerState(OptimizerState state) => false;
}
