using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

// Packing copies a block of op(B) (and micro-panels of op(A), see PackAMinimumPanels) into the order the
// micro-kernel reads it: B as micro-panels of NR columns (for each k, NR consecutive floats), A
// as micro-panels of MR rows (for each k, MR consecutive floats), zero-padded at the edges so the
// kernel never branches. Transposition is absorbed here: each case copies along whichever
// direction is contiguous.
public static unsafe partial class Gemm
{
    /// <summary>Packs A micro-panel <paramref name="panel"/> of rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into <paramref name="dst"/> (MR·kc floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAPanel(in Operands o, int i0, int mc, int p0, int kc, int panel, float* dst)
    {
        int mr = MR;
        int row = panel * mr;
        int rows = Math.Min(mr, mc - row);
        if (o.TransposeA)
        {
            // op(A)[i, p] = A[p, i]: the MR rows of one k are contiguous in A.
            float* src = o.A + (long)p0 * o.M + i0 + row;
            for (int p = 0; p < kc; p++, src += o.M, dst += mr)
            {
                if (rows == mr)
                {
                    CopyRun(src, dst, mr);
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                        dst[r] = src[r];
                    for (int r = rows; r < mr; r++)
                        dst[r] = 0f;
                }
            }
        }
        else if (rows == 8 && mr == 8)
        {
            // op(A)[i, p] = A[i, p]: eight rows contiguous along k, interleaved by 8x8 transposes.
            Interleave8(o.A + (long)(i0 + row) * o.K + p0, o.K, dst, mr, kc);
        }
        else
        {
            // op(A)[i, p] = A[i, p]: each row is contiguous along k; write it with stride MR.
            for (int r = 0; r < mr; r++)
            {
                float* d = dst + r;
                if (r < rows)
                {
                    float* src = o.A + (long)(i0 + row + r) * o.K + p0;
                    for (int p = 0; p < kc; p++)
                        d[p * mr] = src[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                        d[p * mr] = 0f;
                }
            }
        }
    }

    /// <summary>Packs B micro-panel <paramref name="panel"/> of rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into <paramref name="dst"/> (NR·kc floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBPanel(in Operands o, int p0, int kc, int j0, int nc, int panel, float* dst)
    {
        int nr = NR;
        int col = panel * nr;
        int cols = Math.Min(nr, nc - col);
        if (!o.TransposeB)
        {
            // op(B)[p, j] = B[p, j]: the NR columns of one k are contiguous in B.
            float* src = o.B + (long)p0 * o.N + j0 + col;
            for (int p = 0; p < kc; p++, src += o.N, dst += nr)
            {
                if (cols == nr)
                {
                    CopyRun(src, dst, nr);
                }
                else
                {
                    for (int c = 0; c < cols; c++)
                        dst[c] = src[c];
                    for (int c = cols; c < nr; c++)
                        dst[c] = 0f;
                }
            }
        }
        else
        {
            // op(B)[p, j] = B[j, p]: each column of op(B) is a contiguous row of B. Whole groups of
            // eight go through 8x8 transposes; the rest are written with stride NR.
            int grouped = cols / 8 * 8;
            for (int c = 0; c < grouped; c += 8)
                Interleave8(o.B + (long)(j0 + col + c) * o.K + p0, o.K, dst + c, nr, kc);
            for (int c = grouped; c < nr; c++)
            {
                float* d = dst + c;
                if (c < cols)
                {
                    float* src = o.B + (long)(j0 + col + c) * o.K + p0;
                    for (int p = 0; p < kc; p++)
                        d[p * nr] = src[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                        d[p * nr] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Packs B micro-panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of rows
    /// [p0, p0+kc) × columns [j0, j0+nc) of op(B) = B (not transposed) into <paramref name="dst"/>,
    /// panel after panel (NR·kc floats each), reading B row by row: each row of B is one contiguous
    /// run across all the panels, where panel by panel it would be kc runs of NR floats, N floats
    /// apart (a 4 KB stride at n = 1024, which the prefetchers follow poorly). A last partial panel
    /// is zero-padded by <see cref="PackBPanel"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBRows(in Operands o, int p0, int kc, int j0, int nc, int panelStart, int panelEnd, float* dst)
    {
        int nr = NR;
        int fullEnd = Math.Min(panelEnd, nc / nr);
        for (int p = 0; p < kc; p++)
        {
            float* src = o.B + (long)(p0 + p) * o.N + j0;
            for (int panel = panelStart; panel < fullEnd; panel++)
                CopyRun(src + panel * nr, dst + ((long)(panel - panelStart) * kc + p) * nr, nr);
        }

        for (int panel = Math.Max(fullEnd, panelStart); panel < panelEnd; panel++)
            PackBPanel(o, p0, kc, j0, nc, panel, dst + (long)(panel - panelStart) * nr * kc);
    }

    /// <summary>Copies a short run (one micro-panel row: MR or NR floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int count)
    {
        int i = 0;
        for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++)
            dst[i] = src[i];
    }

    /// <summary>
    /// dst[p·width + r] = src[r·srcStride + p] for r &lt; 8, p &lt; count: eight contiguous rows
    /// interleaved into a micro-panel. With AVX, eight floats of each row are read as one vector
    /// and an 8x8 register transpose writes eight contiguous runs, instead of 64 scattered stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave8(float* src, long srcStride, float* dst, int width, int count)
    {
        int p = 0;
        if (Avx.IsSupported)
        {
            for (; p <= count - 8; p += 8)
            {
                float* s = src + p;
                Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + srcStride);
                Vector256<float> r2 = Avx.LoadVector256(s + 2 * srcStride), r3 = Avx.LoadVector256(s + 3 * srcStride);
                Vector256<float> r4 = Avx.LoadVector256(s + 4 * srcStride), r5 = Avx.LoadVector256(s + 5 * srcStride);
                Vector256<float> r6 = Avx.LoadVector256(s + 6 * srcStride), r7 = Avx.LoadVector256(s + 7 * srcStride);

                // Interleave pairs, then quads, then swap 128-bit halves: column q of the block ends up in tq.
                Vector256<float> u0 = Avx.UnpackLow(r0, r1), u1 = Avx.UnpackHigh(r0, r1);
                Vector256<float> u2 = Avx.UnpackLow(r2, r3), u3 = Avx.UnpackHigh(r2, r3);
                Vector256<float> u4 = Avx.UnpackLow(r4, r5), u5 = Avx.UnpackHigh(r4, r5);
                Vector256<float> u6 = Avx.UnpackLow(r6, r7), u7 = Avx.UnpackHigh(r6, r7);
                Vector256<float> v0 = Avx.Shuffle(u0, u2, 0x44), v1 = Avx.Shuffle(u0, u2, 0xEE);
                Vector256<float> v2 = Avx.Shuffle(u1, u3, 0x44), v3 = Avx.Shuffle(u1, u3, 0xEE);
                Vector256<float> v4 = Avx.Shuffle(u4, u6, 0x44), v5 = Avx.Shuffle(u4, u6, 0xEE);
                Vector256<float> v6 = Avx.Shuffle(u5, u7, 0x44), v7 = Avx.Shuffle(u5, u7, 0xEE);

                float* d = dst + (long)p * width;
                Avx.Store(d, Avx.Permute2x128(v0, v4, 0x20));
                Avx.Store(d + width, Avx.Permute2x128(v1, v5, 0x20));
                Avx.Store(d + 2 * width, Avx.Permute2x128(v2, v6, 0x20));
                Avx.Store(d + 3 * width, Avx.Permute2x128(v3, v7, 0x20));
                Avx.Store(d + 4 * width, Avx.Permute2x128(v0, v4, 0x31));
                Avx.Store(d + 5 * width, Avx.Permute2x128(v1, v5, 0x31));
                Avx.Store(d + 6 * width, Avx.Permute2x128(v2, v6, 0x31));
                Avx.Store(d + 7 * width, Avx.Permute2x128(v3, v7, 0x31));
            }
        }

        for (; p < count; p++)
        {
            float* d = dst + (long)p * width;
            for (int r = 0; r < 8; r++)
                d[r] = src[r * srcStride + p];
        }
    }
}
