using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

// Products too small to repay packing (an MLP layer at batch 32, a single example, a handful of
// columns) use one of two direct SIMD forms instead:
//   rows of C as sums of rows of op(B):   C[i, :] = Σ_p op(A)[i, p] · op(B)[p, :]
//   dot products:                          C[i, j] = A[i, :] · B[j, :]   (when op(B) = Bᵀ and k is long)
public static unsafe partial class Gemm
{
    /// <summary>Products of at most this many multiply-adds skip packing.</summary>
    private const long SmallWork = 1L << 15;

    /// <summary>With op(B) = Bᵀ and one or two rows, the dot form is used from this depth on (shorter dots cost more in overhead than a transposed copy of B).</summary>
    private const int DotMinimumDepth = 32;

    /// <summary>Largest transposed copy of B (floats) the small path makes; beyond it the dot form is used.</summary>
    private const int MaxTransposedFloats = 1 << 16;

    /// <summary>Rows of C computed together by the row form.</summary>
    private const int SmallRows = 4;

    [ThreadStatic]
    private static AlignedBuffer? t_smallScratch;

    /// <summary>
    /// Tiny products, and those so thin that most of an MR×NR tile would be padding (at most four
    /// rows, or at most half a tile of columns), skip packing.
    /// </summary>
    private static bool IsSmall(int m, int n, int k) => (long)m * n * k <= SmallWork || m <= SmallRows || n <= NR / 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplySmall(in Operands o)
    {
        AlignedBuffer scratch = t_smallScratch ??= new AlignedBuffer();
        if (o.TransposeB && ((long)o.K * o.N > MaxTransposedFloats || (o.M <= 2 && o.K >= DotMinimumDepth)))
        {
            DotForm(o, scratch);
            return;
        }

        float* rowsOfB = o.B;
        if (o.TransposeB)
        {
            // op(B) = Bᵀ: make its rows contiguous once (k·n is small here).
            rowsOfB = scratch.Ensure(o.K * o.N);
            for (int j = 0; j < o.N; j++)
            {
                float* source = o.B + (long)j * o.K;
                for (int p = 0; p < o.K; p++)
                    rowsOfB[(long)p * o.N + j] = source[p];
            }
        }

        for (int i = 0; i < o.M; i += SmallRows)
            RowCombination(o, i, Math.Min(SmallRows, o.M - i), rowsOfB);
    }

    /// <summary>
    /// Rows [i, i + rows) of C (+)= op(A)[rows, :] · rowsOfB, up to four rows at a time: blocks of
    /// two vectors of columns (eight independent accumulators keep the FMA units busy where one
    /// accumulator per row would wait on each FMA's latency), then one vector, 512-bit where the
    /// hardware has it and the rows are wide, then 256-bit, then a masked tail.
    /// </summary>
    private static void RowCombination(in Operands o, int i, int rows, float* rowsOfB)
    {
        int j = 0;
        // 512-bit blocks only where a row has two of them: with fewer columns the 256-bit form's
        // eight accumulators hide the FMA latency better than the 512-bit form's four.
        if (Vector512.IsHardwareAccelerated && o.N >= 2 * Vector512<float>.Count)
            RowBlocks<Lanes512>(o, i, rows, rowsOfB, ref j);
        RowBlocks<Lanes256>(o, i, rows, rowsOfB, ref j);
        if (j < o.N)
            MaskedColumns(o, i, rows, rowsOfB, j);
    }

    /// <summary>Columns from <paramref name="j"/> on in blocks of two vectors, then one, of <typeparamref name="T"/>; advances j past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlocks<T>(in Operands o, int i, int rows, float* rowsOfB, ref int j)
        where T : struct, ISimdLanes<T>
    {
        int n = o.N, k = o.K, w = T.Count;
        long rowStep = o.TransposeA ? 1 : k, depthStep = o.TransposeA ? o.M : 1;
        // Missing rows of a ragged last block re-read row i and are not stored.
        float* a0 = o.A + i * rowStep;
        float* a1 = rows > 1 ? a0 + rowStep : a0;
        float* a2 = rows > 2 ? a0 + 2 * rowStep : a0;
        float* a3 = rows > 3 ? a0 + 3 * rowStep : a0;
        float* c = o.C + (long)i * n;
        for (; j <= n - 2 * w; j += 2 * w)
        {
            T c00 = T.Zero, c01 = T.Zero, c10 = T.Zero, c11 = T.Zero;
            T c20 = T.Zero, c21 = T.Zero, c30 = T.Zero, c31 = T.Zero;
            float* b = rowsOfB + j;
            for (long p = 0; p < k; p++, b += n)
            {
                T b0 = T.Load(b), b1 = T.Load(b + w);
                long q = p * depthStep;
                T x = T.Create(a0[q]);
                c00 = T.FusedMultiplyAdd(x, b0, c00);
                c01 = T.FusedMultiplyAdd(x, b1, c01);
                x = T.Create(a1[q]);
                c10 = T.FusedMultiplyAdd(x, b0, c10);
                c11 = T.FusedMultiplyAdd(x, b1, c11);
                x = T.Create(a2[q]);
                c20 = T.FusedMultiplyAdd(x, b0, c20);
                c21 = T.FusedMultiplyAdd(x, b1, c21);
                x = T.Create(a3[q]);
                c30 = T.FusedMultiplyAdd(x, b0, c30);
                c31 = T.FusedMultiplyAdd(x, b1, c31);
            }

            StoreSmallRows(c + j, n, rows, c00, c10, c20, c30, o.Accumulate);
            StoreSmallRows(c + j + w, n, rows, c01, c11, c21, c31, o.Accumulate);
        }

        for (; j <= n - w; j += w)
        {
            T c0 = T.Zero, c1 = T.Zero, c2 = T.Zero, c3 = T.Zero;
            float* b = rowsOfB + j;
            for (long p = 0; p < k; p++, b += n)
            {
                T b0 = T.Load(b);
                long q = p * depthStep;
                c0 = T.FusedMultiplyAdd(T.Create(a0[q]), b0, c0);
                c1 = T.FusedMultiplyAdd(T.Create(a1[q]), b0, c1);
                c2 = T.FusedMultiplyAdd(T.Create(a2[q]), b0, c2);
                c3 = T.FusedMultiplyAdd(T.Create(a3[q]), b0, c3);
            }

            StoreSmallRows(c + j, n, rows, c0, c1, c2, c3, o.Accumulate);
        }
    }

    /// <summary>
    /// The last n - j (fewer than eight) columns of rows [i, i + rows): one masked vector per row
    /// of B, so the tail keeps four independent FMA chains going instead of one latency-bound
    /// scalar chain per output (the 10-column weight gradient of a 10-feature layer has two such
    /// columns in every row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaskedColumns(in Operands o, int i, int rows, float* rowsOfB, int j)
    {
        int n = o.N, k = o.K;
        long rowStep = o.TransposeA ? 1 : k, depthStep = o.TransposeA ? o.M : 1;
        float* c = o.C + (long)i * n + j;
        if (!Avx.IsSupported)
        {
            for (; j < n; j++, c++)
            {
                for (int r = 0; r < rows; r++)
                {
                    float* a = o.A + (i + r) * rowStep;
                    float sum = 0;
                    for (long p = 0; p < k; p++)
                        sum = MathF.FusedMultiplyAdd(a[p * depthStep], rowsOfB[p * n + j], sum);
                    float* target = c + (long)r * n;
                    *target = o.Accumulate ? *target + sum : sum;
                }
            }

            return;
        }

        // Masked-off lanes are neither read nor written (vmaskmovps does not fault on them).
        Vector256<float> mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n - j)).AsSingle();
        float* a0 = o.A + i * rowStep;
        float* a1 = rows > 1 ? a0 + rowStep : a0;
        float* a2 = rows > 2 ? a0 + 2 * rowStep : a0;
        float* a3 = rows > 3 ? a0 + 3 * rowStep : a0;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        float* b = rowsOfB + j;
        for (long p = 0; p < k; p++, b += n)
        {
            Vector256<float> b0 = Avx.MaskLoad(b, mask);
            long q = p * depthStep;
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[q]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[q]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[q]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[q]), b0, c3);
        }

        StoreMasked(c, mask, c0, o.Accumulate);
        if (rows > 1)
            StoreMasked(c + n, mask, c1, o.Accumulate);
        if (rows > 2)
            StoreMasked(c + 2 * n, mask, c2, o.Accumulate);
        if (rows > 3)
            StoreMasked(c + 3 * n, mask, c3, o.Accumulate);
    }

    private static void StoreMasked(float* target, Vector256<float> mask, Vector256<float> value, bool add) =>
        Avx.MaskStore(target, mask, add ? value + Avx.MaskLoad(target, mask) : value);

    // Inlined by request, not left to the compiler's judgement: as a call, the eight accumulators of
    // RowBlocks are caller-saved vector registers, spilled and reloaded on every pass of its loop
    // (NativeAOT without a profile kept this a call: the seed step ran 1.3x the JIT's).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSmallRows<T>(float* target, int ldc, int rows, T r0, T r1, T r2, T r3, bool add)
        where T : struct, ISimdLanes<T>
    {
        StoreSmall(target, r0, add);
        if (rows > 1)
            StoreSmall(target + ldc, r1, add);
        if (rows > 2)
            StoreSmall(target + 2 * ldc, r2, add);
        if (rows > 3)
            StoreSmall(target + 3 * ldc, r3, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSmall<T>(float* target, T value, bool add)
        where T : struct, ISimdLanes<T> =>
        (add ? value + T.Load(target) : value).Store(target);
}
