namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>
    /// C = op(A)·op(B) for an m×k op(A) and a k×n op(B), row-major (<c>Dsl.Kernels.Gemm.Multiply</c>):
    /// op(A) = Aᵀ (A stored k×m) when <paramref name="transA"/>, op(B) = Bᵀ (B stored n×k) when <paramref name="transB"/>.
    /// </summary>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="m">The rows of C.</param>
    /// <param name="n">The columns of C.</param>
    /// <param name="k">The length of each dot product (0 makes C zero).</param>
    /// <param name="a">A, m·k floats.</param>
    /// <param name="b">B, k·n floats.</param>
    /// <param name="c">C, m·n floats (overwritten).</param>
    public void Gemm(bool transA, bool transB, int m, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice c)
    {
        CheckSize(m, nameof(m));
        CheckSize(n, nameof(n));
        CheckSize(k, nameof(k));
        CheckFloats(a, (long)m * k, nameof(a));
        CheckFloats(b, (long)k * n, nameof(b));
        CheckFloats(c, (long)m * n, nameof(c));
        GemmCore(transA, transB, m, n, k, a, b, c);
    }

    /// <summary>
    /// C[z] = op(A[z])·op(B[z]) for every product z = e·count + l (e &lt; batch, l &lt; count), as
    /// <c>Dsl.Kernels.Gemm.MultiplyBatched</c>: A[z] starts e·aBatchStride + l·aStride floats into
    /// <paramref name="a"/> (a stride of 0 shares the matrix), likewise B; C is contiguous, m·n per product.
    /// </summary>
    /// <param name="transA">Whether each A is stored transposed.</param>
    /// <param name="transB">Whether each B is stored transposed.</param>
    /// <param name="batch">The number of examples.</param>
    /// <param name="count">The products per example (e.g. attention heads).</param>
    /// <param name="m">The rows of each C.</param>
    /// <param name="n">The columns of each C.</param>
    /// <param name="k">The length of each dot product.</param>
    /// <param name="a">The A matrices.</param>
    /// <param name="aBatchStride">Floats from one example's A to the next's.</param>
    /// <param name="aStride">Floats from one leading index's A to the next's.</param>
    /// <param name="b">The B matrices.</param>
    /// <param name="bBatchStride">Floats from one example's B to the next's.</param>
    /// <param name="bStride">Floats from one leading index's B to the next's.</param>
    /// <param name="c">C, batch·count·m·n floats.</param>
    public void BatchedGemm(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        CheckSize(batch, nameof(batch));
        CheckSize(count, nameof(count));
        CheckSize(m, nameof(m));
        CheckSize(n, nameof(n));
        CheckSize(k, nameof(k));
        CheckSize(aBatchStride, nameof(aBatchStride));
        CheckSize(aStride, nameof(aStride));
        CheckSize(bBatchStride, nameof(bBatchStride));
        CheckSize(bStride, nameof(bStride));
        bool empty = batch == 0 || count == 0;
        CheckFloats(a, empty ? 0 : ((long)(batch - 1) * aBatchStride) + ((long)(count - 1) * aStride) + ((long)m * k), nameof(a));
        CheckFloats(b, empty ? 0 : ((long)(batch - 1) * bBatchStride) + ((long)(count - 1) * bStride) + ((long)k * n), nameof(b));
        CheckFloats(c, (long)batch * count * m * n, nameof(c));
        BatchedGemmCore(transA, transB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);
    }

    /// <summary>Computes <see cref="Gemm"/> on validated operands.</summary>
    protected abstract void GemmCore(bool transA, bool transB, int m, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice c);

    /// <summary>Computes <see cref="BatchedGemm"/> on validated operands.</summary>
    protected abstract void BatchedGemmCore(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c);
}
