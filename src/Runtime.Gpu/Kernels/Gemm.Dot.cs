using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// The dot form of the small path: C[i, j] = op(A)[i, :] · B[j, :] when op(B) = Bᵀ, so each
// output is a dot product of two contiguous rows. This is a batch-1 Dense layer (a matrix-vector
// product) and the like: no reuse of B to exploit, so the work is streaming B once at the speed
// of the cache it sits in. Eight columns at a time share each load of the A row (9 loads per 8
// FMAs rather than 2 per FMA), and large products split their columns over the cores.
public static unsafe partial class Gemm
{
    /// <summary>Columns computed together: eight accumulators also hide the FMA latency.</summary>
    private const int DotColumns = 8;

    /// <summary>Dot-form products of at least this many multiply-adds split their columns across cores (about 2 µs of work).</summary>
    private const long ParallelDotWork = 1L << 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotForm(in Operands o, AlignedBuffer scratch)
    {
        DotJob job = DotJob.ForCurrentThread;
        job.Operands = o;
        job.Rows = o.A;
        if (o.TransposeA)
        {
            // Make each row of op(A) contiguous once: m is small on this path.
            float* rows = scratch.Ensure(o.M * o.K);
            for (int i = 0; i < o.M; i++)
            {
                for (int p = 0; p < o.K; p++)
                    rows[(long)i * o.K + p] = o.A[(long)p * o.M + i];
            }

            job.Rows = rows;
        }

        int groups = (o.N + DotColumns - 1) / DotColumns, threads = CpuParallel.MaxConcurrency;
        if (threads > 1 && (long)o.M * o.N * o.K >= ParallelDotWork)
        {
            // One contiguous range per thread rather than many small chunks: the caller, first to
            // the counter, takes the first range, so each core tends to stream the same rows of B
            // call after call and finds them in its own L2.
            CpuParallel.For(groups, (groups + threads - 1) / threads, job.Body);
        }
        else
            job.Compute(0, groups);
        job.Rows = null;
    }

    /// <summary>C[i, j0 .. j0+8) (+)= row · B[j0 .. j0+8, :], eight dot products sharing each load of the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot8<T>(int k, float* row, float* b, float* c, bool add)
        where T : struct, ISimdLanes<T>
    {
        float* b0 = b, b1 = b + k, b2 = b + 2 * k, b3 = b + 3 * k, b4 = b + 4 * k, b5 = b + 5 * k, b6 = b + 6 * k, b7 = b + 7 * k;
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero, s4 = T.Zero, s5 = T.Zero, s6 = T.Zero, s7 = T.Zero;
        int p = 0;
        for (; p <= k - T.Count; p += T.Count)
        {
            T x = T.Load(row + p);
            s0 = T.FusedMultiplyAdd(x, T.Load(b0 + p), s0);
            s1 = T.FusedMultiplyAdd(x, T.Load(b1 + p), s1);
            s2 = T.FusedMultiplyAdd(x, T.Load(b2 + p), s2);
            s3 = T.FusedMultiplyAdd(x, T.Load(b3 + p), s3);
            s4 = T.FusedMultiplyAdd(x, T.Load(b4 + p), s4);
            s5 = T.FusedMultiplyAdd(x, T.Load(b5 + p), s5);
            s6 = T.FusedMultiplyAdd(x, T.Load(b6 + p), s6);
            s7 = T.FusedMultiplyAdd(x, T.Load(b7 + p), s7);
        }

        float d0 = s0.Sum(), d1 = s1.Sum(), d2 = s2.Sum(), d3 = s3.Sum(), d4 = s4.Sum(), d5 = s5.Sum(), d6 = s6.Sum(), d7 = s7.Sum();
        for (; p < k; p++)
        {
            float x = row[p];
            d0 = MathF.FusedMultiplyAdd(x, b0[p], d0);
            d1 = MathF.FusedMultiplyAdd(x, b1[p], d1);
            d2 = MathF.FusedMultiplyAdd(x, b2[p], d2);
            d3 = MathF.FusedMultiplyAdd(x, b3[p], d3);
            d4 = MathF.FusedMultiplyAdd(x, b4[p], d4);
            d5 = MathF.FusedMultiplyAdd(x, b5[p], d5);
            d6 = MathF.FusedMultiplyAdd(x, b6[p], d6);
            d7 = MathF.FusedMultiplyAdd(x, b7[p], d7);
        }

        if (add)
        {
            d0 += c[0]; d1 += c[1]; d2 += c[2]; d3 += c[3];
            d4 += c[4]; d5 += c[5]; d6 += c[6]; d7 += c[7];
        }

        c[0] = d0; c[1] = d1; c[2] = d2; c[3] = d3;
        c[4] = d4; c[5] = d5; c[6] = d6; c[7] = d7;
    }

    /// <summary>C[i, j] (+)= row · B[j, :], one dot product (the columns after the last group of eight).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1<T>(int k, float* row, float* b, float* c, bool add)
        where T : struct, ISimdLanes<T>
    {
        // Two accumulators: a lone column has nothing else to overlap its FMA latency with.
        T s0 = T.Zero, s1 = T.Zero;
        int p = 0;
        for (; p <= k - 2 * T.Count; p += 2 * T.Count)
        {
            s0 = T.FusedMultiplyAdd(T.Load(row + p), T.Load(b + p), s0);
            s1 = T.FusedMultiplyAdd(T.Load(row + p + T.Count), T.Load(b + p + T.Count), s1);
        }

        for (; p <= k - T.Count; p += T.Count)
            s0 = T.FusedMultiplyAdd(T.Load(row + p), T.Load(b + p), s0);
        float dot = (s0 + s1).Sum();
        for (; p < k; p++)
            dot = MathF.FusedMultiplyAdd(row[p], b[p], dot);
        *c = add ? *c + dot : dot;
    }

    /// <summary>One calling thread's dot-form state and the loop body handed to <see cref="CpuParallel"/>, created once.</summary>
    private sealed class DotJob
    {
        [ThreadStatic]
        private static DotJob? t_job;

        public readonly Action<int, int> Body;
        public Operands Operands;

        /// <summary>Row-major op(A): A itself, or its transposed copy.</summary>
        public float* Rows;

        private DotJob() => Body = Compute;

        public static DotJob ForCurrentThread => t_job ??= new DotJob();

        /// <summary>Column groups [start, end) of eight columns (the last may be partial), for every row.</summary>
        public void Compute(int start, int end)
        {
            if (Vector512.IsHardwareAccelerated)
                Compute<Lanes512>(start, end);
            else if (Vector256.IsHardwareAccelerated)
                Compute<Lanes256>(start, end);
            else
                Compute<Lanes1>(start, end);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute<T>(int start, int end)
            where T : struct, ISimdLanes<T>
        {
            Operands o = Operands;
            int k = o.K, n = o.N;
            for (int i = 0; i < o.M; i++)
            {
                float* row = Rows + (long)i * k;
                float* c = o.C + (long)i * n;
                for (int group = start; group < end; group++)
                {
                    int j = group * DotColumns;
                    if (j + DotColumns <= n)
                    {
                        Dot8<T>(k, row, o.B + (long)j * k, c + j, o.Accumulate);
                        continue;
                    }

                    for (; j < n; j++)
                        Dot1<T>(k, row, o.B + (long)j * k, c + j, o.Accumulate);
                }
            }
        }
    }
}
