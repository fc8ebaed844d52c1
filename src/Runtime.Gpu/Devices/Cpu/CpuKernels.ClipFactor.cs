using System;

namespace Dsl;

// Issue 17: the clip factor from a sum of squares in device memory, as the GPU devices compute it.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void ClipFactorCore(DeviceSlice sumOfSquares, float maxNorm, DeviceSlice factor) =>
        F(factor)[0] = OptimizerState.ClipFactor((float)Math.Sqrt(F(sumOfSquares)[0]), maxNorm);
}
