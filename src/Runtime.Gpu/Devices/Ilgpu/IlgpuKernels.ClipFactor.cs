using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 17: the clip factor computed on the device, so that the optimizer's step never reads the
// gradient norm back.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, float>? _clipFactor;

    /// <inheritdoc/>
    protected override void ClipFactorCore(DeviceSlice sumOfSquares, float maxNorm, DeviceSlice factor) =>
        PerItem(1, ref _clipFactor, IlgpuOptimizerKernels.ClipFactor, GridStride(1), F(sumOfSquares), F(factor), maxNorm);
}
