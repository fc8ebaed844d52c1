using System.Runtime.InteropServices;

namespace Dsl.Interop.Cuda;

/// <summary>
/// The cuBLAS entry points ILGPU.Algorithms' <c>CuBlas</c> does not wrap: the strided-batched
/// sgemm. The handle is the <c>CuBlas</c> object's, so the call runs on its stream and math mode.
/// </summary>
internal static unsafe partial class CuBlasNative
{
    /// <summary><c>cublasSgemmStridedBatched</c>: C[i] = α·op(A[i])·op(B[i]) + β·C[i], column-major, for i &lt; batchCount.</summary>
    [LibraryImport(Libraries.CuBlas, EntryPoint = "cublasSgemmStridedBatched")]
    internal static partial int cublasSgemmStridedBatched(
        nint handle, int transa, int transb, int m, int n, int k,
        float* alpha, float* a, int lda, long strideA, float* b, int ldb, long strideB,
        float* beta, float* c, int ldc, long strideC, int batchCount);
}
