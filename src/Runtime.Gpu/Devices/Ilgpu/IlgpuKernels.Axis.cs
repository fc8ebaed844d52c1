using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// The last-axis reductions and gathers (ArgMax, its mask, GatherLast and its transpose
// ScatterLast), compiled on first use like the other row kernels.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int>? _argMaxRows, _argMaxMaskRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>? _gatherLast, _scatterLast;

    /// <inheritdoc/>
    protected override void ArgMaxCore(int rows, int cols, DeviceSlice x, DeviceSlice index) =>
        PerItem(rows, ref _argMaxRows, IlgpuAxisKernels.ArgMaxRows, GridStride(rows), rows, F(x), F(index), cols);

    /// <inheritdoc/>
    protected override void ArgMaxMaskCore(int rows, int cols, DeviceSlice x, DeviceSlice y) =>
        PerItem(rows, ref _argMaxMaskRows, IlgpuAxisKernels.ArgMaxMaskRows, GridStride(rows), rows, F(x), F(y), cols);

    /// <inheritdoc/>
    protected override void GatherLastCore(int rows, int n, int k, DeviceSlice x, DeviceSlice index, DeviceSlice y) =>
        PerItem((long)rows * k, ref _gatherLast, IlgpuAxisKernels.GatherLast, GridStride(rows * k), rows * k, F(x), F(index), F(y), n, k);

    /// <inheritdoc/>
    protected override void ScatterLastCore(int rows, int n, int k, DeviceSlice index, DeviceSlice g, DeviceSlice y) =>
        PerItem((long)rows * n, ref _scatterLast, IlgpuAxisKernels.ScatterLast, GridStride(rows * n), rows * n, F(index), F(g), F(y), n, k);
}
