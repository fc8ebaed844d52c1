using System;

namespace Dsl.Kernels;

// Many small products at once (attention's q·kᵀ and P·v: one per example and head). Each product
// is too small to split over cores by itself, so the cores take whole products instead, each
// running the single-threaded small or blocked path on its own (a nested CpuParallel loop runs
// inline), with that thread's own packing buffers.
public static unsafe partial class Gemm
{
    /// <summary>Batched products of at least this many multiply-adds in all are split across cores.</summary>
    private const long ParallelBatchedWork = 1L << 16;

    /// <summary>
    /// Computes C[e, l] = op(A[e, l])·op(B[e, l]) for every example e &lt; <paramref name="batch"/>
    /// and leading index l &lt; <paramref name="count"/>, where op(A) is m×k and op(B) is k×n, and
    /// C is contiguous [batch, count, m, n]. An operand is found at
    /// <c>e·batchStride + l·stride</c>: a stride of 0 shares one matrix (an unbatched operand has
    /// batch stride 0; one without leading axes has stride 0).
    /// </summary>
    /// <param name="transposeA">Each A is stored k×m and op(A) = Aᵀ (else m×k).</param>
    /// <param name="transposeB">Each B is stored n×k and op(B) = Bᵀ (else k×n).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="count">Products per example (the product of the leading axes).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">The A matrices.</param>
    /// <param name="aBatchStride">Floats from one example's A to the next's (0: shared).</param>
    /// <param name="aStride">Floats from one leading index's A to the next's (0: shared).</param>
    /// <param name="b">The B matrices.</param>
    /// <param name="bBatchStride">Floats from one example's B to the next's (0: shared).</param>
    /// <param name="bStride">Floats from one leading index's B to the next's (0: shared).</param>
    /// <param name="c">C, batch·count·m·n floats.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or stride is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrices.</exception>
    public static void MultiplyBatched(
        bool transposeA, bool transposeB, int batch, int count, int m, int n, int k,
        ReadOnlySpan<float> a, int aBatchStride, int aStride,
        ReadOnlySpan<float> b, int bBatchStride, int bStride, Span<float> c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(aBatchStride);
        ArgumentOutOfRangeException.ThrowIfNegative(aStride);
        ArgumentOutOfRangeException.ThrowIfNegative(bBatchStride);
        ArgumentOutOfRangeException.ThrowIfNegative(bStride);
        if (batch == 0 || count == 0 || m == 0 || n == 0)
            return;
        CheckBatchedOperand(a.Length, batch, count, aBatchStride, aStride, (long)m * k, "A", nameof(a));
        CheckBatchedOperand(b.Length, batch, count, bBatchStride, bStride, (long)k * n, "B", nameof(b));
        CheckBatchedOperand(c.Length, batch, count, (long)count * m * n, (long)m * n, (long)m * n, "C", nameof(c));
        if (k == 0)
        {
            c[..(batch * count * m * n)].Clear();
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            BatchedJob job = BatchedJob.ForCurrentThread;
            job.Operands = new Operands(transposeA, transposeB, m, n, k, pa, pb, pc, accumulate: false);
            job.Count = count;
            job.ABatchStride = aBatchStride;
            job.AStride = aStride;
            job.BBatchStride = bBatchStride;
            job.BStride = bStride;
            int products = batch * count;
            long work = (long)m * n * k;
            if (products == 1)
                MultiplyOne(job.Operands); // one product may split itself over the cores
            else if (CpuParallel.MaxConcurrency > 1 && work * products >= ParallelBatchedWork)
                CpuParallel.For(products, (int)Math.Max(1, ParallelBatchedWork / 4 / work), job.Body);
            else
                job.Compute(0, products);
        }
    }

    /// <summary>One pinned product, by the small or the blocked path.</summary>
    private static void MultiplyOne(in Operands o)
    {
        if (IsSmall(o.M, o.N, o.K))
            MultiplySmall(o);
        else
            MultiplyBlocked(o);
    }

    private static void CheckBatchedOperand(int length, int batch, int count, long batchStride, long stride, long size, string matrix, string parameter)
    {
        long needed = (batch - 1) * batchStride + (count - 1) * stride + size;
        if (length < needed)
            throw new ArgumentException($"{matrix} needs {needed} floats for {batch}x{count} matrices of {size} (strides {batchStride}, {stride}) but the span has {length}.", parameter);
    }

    /// <summary>One calling thread's batched-product state and the loop body handed to <see cref="CpuParallel"/>, created once.</summary>
    private sealed class BatchedJob
    {
        [ThreadStatic]
        private static BatchedJob? t_job;

        public readonly Action<int, int> Body;
        public Operands Operands;
        public int Count, ABatchStride, AStride, BBatchStride, BStride;

        private BatchedJob() => Body = Compute;

        public static BatchedJob ForCurrentThread => t_job ??= new BatchedJob();

        /// <summary>Products [start, end), numbered example-major (e·Count + l).</summary>
        public void Compute(int start, int end)
        {
            Operands o = Operands;
            long size = (long)o.M * o.N;
            for (int index = start; index < end; index++)
            {
                int e = index / Count, l = index % Count;
                float* a = o.A + (long)e * ABatchStride + (long)l * AStride;
                float* b = o.B + (long)e * BBatchStride + (long)l * BStride;
                MultiplyOne(new Operands(o.TransposeA, o.TransposeB, o.M, o.N, o.K, a, b, o.C + index * size, accumulate: false));
            }
        }
    }
}
