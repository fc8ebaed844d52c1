using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Dsl;

// Products: cuBLAS where the device has it (IlgpuKernels.CuBlas.cs), else the ILGPU tiled GEMM.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>? _gemm;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>? _directGemm;

    /// <inheritdoc/>
    protected override void GemmCore(bool transA, bool transB, int m, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice c) =>
        BatchedGemmCore(transA, transB, 1, 1, m, n, k, a, 0, 0, b, 0, 0, c);

    /// <inheritdoc/>
    protected override void BatchedGemmCore(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        if ((long)batch * count * m * n == 0)
            return;
        if (k == 0)
        {
            // An empty sum: C = 0 (cuBLAS would leave C as it was where k is 0).
            FillCore(batch * count * m * n, 0f, c);
            return;
        }

        if (_device.CuBlas is { } cuBlas)
            CuBlasProducts(cuBlas, transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
        else if (UsesDirectGemm)
            DirectProducts(transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
        else
            TiledProducts(transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
    }

    /// <summary>Every element of every C an item of one grid-stride launch (<see cref="IlgpuGemmKernels.DirectGemm"/>).</summary>
    private void DirectProducts(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        var arguments = new GemmArguments(m, n, k, count, aBatchStride, aStride, bBatchStride, bStride, transA ? 1 : 0, transB ? 1 : 0, GemmTile);
        int items = checked(batch * count * m * n);
        PerItem(items, ref _directGemm, IlgpuGemmKernels.DirectGemm, GridStride(items), items, F(a), F(b), F(c), arguments);
    }

    /// <summary>
    /// The <see cref="GemmTile"/>² blocks of every C, grid-stride over a bounded grid of groups of
    /// (tile / block)² threads: no more groups than the device keeps resident, or the blocks need.
    /// </summary>
    private void TiledProducts(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        var arguments = new GemmArguments(m, n, k, count, aBatchStride, aStride, bBatchStride, bStride, transA ? 1 : 0, transB ? 1 : 0, GemmTile);
        int items = GemmTile / GemmBlock;
        long blocks = (long)((n + GemmTile - 1) / GemmTile) * ((m + GemmTile - 1) / GemmTile) * batch * count;
        var config = new KernelConfig(
            new Index3D((int)Math.Clamp(blocks, 1L, _device.ResidentGroups(items * items)), 1, 1),
            new Index3D(items, items, 1),
            SharedMemoryConfig.RequestDynamic<float>(IlgpuGemmKernels.SharedFloats(GemmTile)));
        PerItem(blocks, ref _gemm, _tiled.Gemm, config, checked((int)blocks), F(a), F(b), F(c), arguments);
    }
}
