using System;
using Dsl.Interop.Cuda;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Dsl;

// Products: cuBLAS where the device has it, else the ILGPU tiled GEMM.
public sealed partial class IlgpuKernels
{
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>? _gemm;

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
            Run("cublasSgemm", () => CuBlasProducts(cuBlas, transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c));
        else
            TiledProducts(transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
    }

    /// <summary>
    /// One group per <see cref="GemmTile"/>² block of each C, the product as the grid's third
    /// dimension, (tile / block)² threads per group.
    /// </summary>
    private void TiledProducts(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        var arguments = new GemmArguments(m, n, k, count, aBatchStride, aStride, bBatchStride, bStride, transA ? 1 : 0, transB ? 1 : 0, GemmTile, GemmBlock);
        int items = GemmTile / GemmBlock;
        var config = new KernelConfig(
            new Index3D((n + GemmTile - 1) / GemmTile, (m + GemmTile - 1) / GemmTile, batch * count),
            new Index3D(items, items, 1),
            SharedMemoryConfig.RequestDynamic<float>(IlgpuGemmKernels.SharedFloats(GemmTile)));
        Run(nameof(IlgpuGemmKernels.Gemm), () =>
            (_gemm ??= _accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>(IlgpuGemmKernels.Gemm))(
                config, F(a), F(b), F(c), arguments));
    }

    /// <summary>
    /// Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: cuBLAS is asked for that, with B
    /// first. One sgemm for a single product; one strided-batched sgemm where the products' strides
    /// are uniform, else one per example (a stride per example and another per leading index).
    /// </summary>
    private static unsafe void CuBlasProducts(
        CuBlas cuBlas, bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        var opA = transA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose;
        var opB = transB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose;
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (batch * count == 1)
        {
            cuBlas.Gemm(opB, opA, n, m, k, 1f, F(b), ldb, F(a), lda, 0f, F(c), n);
            return;
        }

        bool uniformA = count == 1 || aBatchStride == count * aStride, uniformB = count == 1 || bBatchStride == count * bStride;
        if (uniformA && uniformB)
        {
            StridedBatched(cuBlas, opA, opB, m, n, k, a, lda, count == 1 ? aBatchStride : aStride, b, ldb, count == 1 ? bBatchStride : bStride, c, 0, batch * count);
            return;
        }

        for (int e = 0; e < batch; e++)
            StridedBatched(cuBlas, opA, opB, m, n, k, a.Buffer.Slice(a.Offset + (e * aBatchStride)), lda, aStride,
                b.Buffer.Slice(b.Offset + (e * bBatchStride)), ldb, bStride, c, e * count * m * n, count);
    }

    private static unsafe void StridedBatched(
        CuBlas cuBlas, CuBlasOperation opA, CuBlasOperation opB, int m, int n, int k,
        DeviceSlice a, int lda, int strideA, DeviceSlice b, int ldb, int strideB, DeviceSlice c, int cOffset, int products)
    {
        float alpha = 1f, beta = 0f;
        int status = CuBlasNative.cublasSgemmStridedBatched(
            cuBlas.Handle, (int)opB, (int)opA, n, m, k, &alpha,
            (float*)F(b).LoadEffectiveAddressAsPtr(), ldb, strideB,
            (float*)F(a).LoadEffectiveAddressAsPtr(), lda, strideA,
            &beta, (float*)F(c).SubView(cOffset).LoadEffectiveAddressAsPtr(), n, (long)m * n, products);
        if (status != 0)
            throw new CuBlasException((CuBlasStatus)status);
    }
}
