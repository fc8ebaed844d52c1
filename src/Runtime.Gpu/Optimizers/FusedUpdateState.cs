using System;

namespace Dsl;

/// <summary>
/// The base of the concrete optimizer states: pins the spans for the length of one step and
/// hands block ranges of the fused element-wise update to <see cref="UpdateBlocks"/>.
/// </summary>
internal abstract unsafe class FusedUpdateState : OptimizerState
{
    private readonly Action<int, int> _body;

    protected FusedUpdateState(Optimizer optimizer, int parameterCount)
        : base(optimizer, parameterCount)
    {
        // Created once: a method-group conversion per step would allocate.
        _body = UpdateBlocks;
    }

    /// <summary>The pinned parameters during <see cref="UpdateCore"/>.</summary>
    protected float* Parameters { get; private set; }

    /// <summary>The pinned gradients during <see cref="UpdateCore"/>.</summary>
    protected float* Gradients { get; private set; }

    /// <summary>The clipping factor of the current step.</summary>
    protected float GradientScale { get; private set; }

    protected sealed override void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale)
    {
        BeginStep();
        fixed (float* p = parameters, g = gradients)
        {
            Parameters = p;
            Gradients = g;
            GradientScale = gradientScale;
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
        int start = firstBlock * FusedUpdate.BlockSize;
        int end = Math.Min(ParameterCount, endBlock * FusedUpdate.BlockSize);
        UpdateRange(start, end);
    }
}
