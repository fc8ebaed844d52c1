using System;

namespace Dsl;

/// <summary>
/// The base of the concrete optimizer states: pins the spans for the length of one step and
/// hands block ranges of the fused element-wise update to <see cref="UpdateBlocks"/>.
/// </summary>
internal abstract unsafe class FusedUpdateState : OptimizerState
{
    private readonly Action<int, int> _body;
    private int _start, _end; // the elements of the pass in progress

    protected FusedUpdateState(Optimizer optimizer, int parameterCount)
        : base(optimizer, parameterCount)
    {
        // Created once: a method-group conversion per step would allocate.
        _body = UpdateBlocks;
    }

    /// <summary>The pinned parameters during a pass, indexed by position in the flat buffer.</summary>
    protected float* Parameters { get; private set; }

    /// <summary>The pinned gradients during a pass, indexed by position in the flat buffer.</summary>
    protected float* Gradients { get; private set; }

    /// <summary>The clipping factor of the current step.</summary>
    protected float GradientScale { get; private set; }

    protected sealed override bool UpdatesElementwise => true;

    protected sealed override void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale)
    {
        BeginStep();
        Run(parameters, 0, gradients, gradientScale);
    }

    protected sealed override void BeginPartsCore() => BeginStep();

    protected sealed override void UpdatePartCore(Span<float> parameters, int offset, ReadOnlySpan<float> gradients) =>
        Run(parameters, offset, gradients, 1f);

    /// <summary>
    /// Runs the element-wise update over the flat buffer's elements [offset, offset + length):
    /// the pointers are shifted back by <paramref name="offset"/>, so <see cref="UpdateRange"/>
    /// indexes parameters, gradients and the state's own buffers alike.
    /// </summary>
    private void Run(Span<float> parameters, int offset, ReadOnlySpan<float> gradients, float gradientScale)
    {
        fixed (float* p = parameters, g = gradients)
        {
            Parameters = p - offset;
            Gradients = g - offset;
            GradientScale = gradientScale;
            (_start, _end) = (offset, offset + parameters.Length);
            FusedUpdate.ForEachBlock(parameters.Length, _body);
            Parameters = null;
            Gradients = null;
        }
    }

    /// <summary>
    /// Computes the step's scalars for an update that runs elsewhere (a device), after
    /// <see cref="OptimizerState.BeginUpdate"/>; the scalars are then read from the concrete state.
    /// </summary>
    internal void BeginDeviceStep() => BeginStep();

    /// <summary>Computes the step's scalars (bias corrections, decay factors) once, before the pass.</summary>
    protected abstract void BeginStep();

    /// <summary>Updates elements [start, end) (a block range: may run on any thread, concurrently with other ranges).</summary>
    protected abstract void UpdateRange(int start, int end);

    private void UpdateBlocks(int firstBlock, int endBlock)
    {
        int start = _start + firstBlock * FusedUpdate.BlockSize;
        int end = (int)Math.Min(_end, _start + (long)endBlock * FusedUpdate.BlockSize);
        UpdateRange(start, end);
    }
}
