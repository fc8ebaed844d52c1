using System;
using Dsl.Interop.Cuda;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Dsl;

// Products on cuBLAS: a CUDA device only, where libcublas.so.12 loaded. Kept apart from the tiled
// GEMM, which every other ILGPU accelerator runs (and which the tests run on the CPU accelerator).
public sealed partial class IlgpuKernels
{
    /// <summary>
    /// The products on cuBLAS, the device's and shared by its programs: bound to this library's stream
    /// for the call, under the library's lock and then cuBLAS's, with cuBLAS's errors as <see cref="KernelLaunchException"/>.
    /// </summary>
    private void CuBlasProducts(
        CuBlas cuBlas, bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        lock (_gate)
        {
            try
            {
                lock (_device.CuBlasGate)
                {
                    cuBlas.Stream = (CudaStream)_stream;
                    Products(cuBlas, transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
                }
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, "cublasSgemm", _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <summary>
    /// Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: cuBLAS is asked for that, with B
    /// first. One sgemm for a single product; one strided-batched sgemm where the products' strides
    /// are uniform, else one per example (a stride per example and another per leading index).
    /// </summary>
    private static unsafe void Products(
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
