using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

// Max pooling and its gradient, plane by plane. Every path picks the same tap: the first maximum in
// window order, where a NaN, once reached, stays the maximum (Rows.ArgMaxMask's rule).
public static unsafe partial class Pooling
{
    /// <summary>
    /// The plane index of the first maximum of the scores in the window at (<paramref name="top"/>,
    /// <paramref name="left"/>), padding taps skipped; −1 when the window holds no pixel.
    /// </summary>
    private static int FirstMaximum(float* scores, in PoolGeometry g, int top, int left)
    {
        (int i0, int i1) = PoolGeometry.Inside(top, g.KernelHeight, g.DilationHeight, g.Height);
        (int j0, int j1) = PoolGeometry.Inside(left, g.KernelWidth, g.DilationWidth, g.Width);
        if (i0 == i1 || j0 == j1)
            return -1;
        int best = (top + i0 * g.DilationHeight) * g.Width + left + j0 * g.DilationWidth;
        float bestValue = scores[best];
        for (int i = i0; i < i1; i++)
        {
            int row = (top + i * g.DilationHeight) * g.Width + left;
            for (int j = j0; j < j1; j++)
            {
                int at = row + j * g.DilationWidth;
                float value = scores[at];
                // The scan's rule (strictly larger, or a NaN while the best is not) as a mask, not a
                // branch: random scores mispredict a branch on every other tap (the JIT keeps
                // ?: on a bool as a branch). The first tap compares with itself and is not taken.
                int take = -Convert.ToInt32(value > bestValue | (float.IsNaN(value) & !float.IsNaN(bestValue)));
                best = (at & take) | (best & ~take);
                bestValue = BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(value) & take) | (BitConverter.SingleToInt32Bits(bestValue) & ~take));
            }
        }
        return best;
    }

    /// <summary>Units are (example, channel) planes; a 2×2 window over one image (scores = values) runs as vectors.</summary>
    private struct MaxPoolPlanes : IRowKernel
    {
        public float* Scores;
        public float* Values;
        public float* Y;
        public PoolGeometry G;

        public readonly void Execute(int start, int end)
        {
            PoolGeometry g = G;
            bool vectors = Avx2.IsSupported && g.IsTwoByTwo && Scores == Values;
            (int clearFirst, int clearEnd) = Avx2.IsSupported ? ClearColumns(g) : (0, 0);
            for (int plane = start; plane < end; plane++)
            {
                float* scores = Scores + (long)plane * g.Plane, values = Values + (long)plane * g.Plane, y = Y + (long)plane * g.Pooled;
                if (vectors)
                {
                    MaxTwoByTwoVectors(scores, y, g);
                    continue;
                }
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    int top = oy * g.StrideHeight - g.PadHeight, window = oy * g.OutWidth;
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        if (ox == clearFirst)
                        {
                            // Eight windows clear of the side padding at a time, in order.
                            for (; ox + 8 <= clearEnd; ox += 8)
                            {
                                Vector256<int> at = FirstMaxima(scores, g, top, ox);
                                Avx.Store(y + window + ox, Avx2.GatherVector256(values, at, 4));
                            }
                            if (ox == g.OutWidth)
                                break;
                        }
                        int one = FirstMaximum(scores, g, top, ox * g.StrideWidth - g.PadWidth);
                        y[window + ox] = one < 0 ? 0f : values[one];
                    }
                }
            }
        }

        /// <summary>Window (oy, ox) in row-major order, as the scalar path and every tail compute it.</summary>
        private static float MaxOf(float* scores, float* values, in PoolGeometry g, int window)
        {
            int oy = window / g.OutWidth, ox = window % g.OutWidth;
            int at = FirstMaximum(scores, g, oy * g.StrideHeight - g.PadHeight, ox * g.StrideWidth - g.PadWidth);
            return at < 0 ? 0f : values[at];
        }

        /// <summary>
        /// The 2×2 windows of whole runs of four along each output row, eight at a time (two runs, which
        /// may lie on different rows): each row of the window deinterleaved into its even and odd
        /// columns, the maxima taken even over odd and top over bottom (maxps returns its second
        /// operand on a tie, so the earlier tap, as the scalar rule), lanes put back in order. A
        /// block holding a NaN, the odd run left and each row's last one to three windows go to the
        /// scalar rule.
        /// </summary>
        private static void MaxTwoByTwoVectors(float* x, float* y, in PoolGeometry g)
        {
            int ow = g.OutWidth, runsPerRow = ow / 4, runs = g.OutHeight * runsPerRow, width = g.Width;
            int k = 0;
            for (; k + 2 <= runs; k += 2)
            {
                int oy0 = k / runsPerRow, ox0 = k % runsPerRow * 4, oy1 = (k + 1) / runsPerRow, ox1 = (k + 1) % runsPerRow * 4;
                float* top0 = x + 2 * oy0 * width + 2 * ox0, top1 = x + 2 * oy1 * width + 2 * ox1;
                Vector256<float> a0 = Avx.LoadVector256(top0), a1 = Avx.LoadVector256(top1);
                Vector256<float> b0 = Avx.LoadVector256(top0 + width), b1 = Avx.LoadVector256(top1 + width);
                Vector256<float> nan = Avx.Or(Avx.CompareUnordered(a0, a1), Avx.CompareUnordered(b0, b1));
                if (!Avx.TestZ(nan, nan))
                {
                    for (int w = 0; w < 4; w++)
                    {
                        y[oy0 * ow + ox0 + w] = MaxOf(x, x, g, oy0 * ow + ox0 + w);
                        y[oy1 * ow + ox1 + w] = MaxOf(x, x, g, oy1 * ow + ox1 + w);
                    }
                    continue;
                }
                Vector256<float> top = Avx.Max(Avx.Shuffle(a0, a1, Odd), Avx.Shuffle(a0, a1, Even));
                Vector256<float> bottom = Avx.Max(Avx.Shuffle(b0, b1, Odd), Avx.Shuffle(b0, b1, Even));
                Vector256<float> max = Avx2.Permute4x64(Avx.Max(bottom, top).AsDouble(), InOrder).AsSingle();
                Sse.Store(y + oy0 * ow + ox0, max.GetLower());
                Sse.Store(y + oy1 * ow + ox1, max.GetUpper());
            }
            for (; k < runs; k++)
            {
                int window = k / runsPerRow * ow + k % runsPerRow * 4;
                for (int w = 0; w < 4; w++)
                    y[window + w] = MaxOf(x, x, g, window + w);
            }
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = runsPerRow * 4; ox < ow; ox++)
                    y[oy * ow + ox] = MaxOf(x, x, g, oy * ow + ox);
        }
    }

    /// <summary>
    /// Units are (example, channel) planes. A 2×2 window's gradient runs as vectors (its windows tile
    /// the plane, so each tap is written once, the gradient or zero); other windows clear the plane
    /// and add each gradient at its tap, window after window.
    /// </summary>
    private struct MaxPoolBackwardPlanes : IRowKernel
    {
        public float* Scores;
        public float* D;
        public float* Dx;
        public PoolGeometry G;

        public readonly void Execute(int start, int end)
        {
            PoolGeometry g = G;
            (int clearFirst, int clearEnd) = Avx2.IsSupported ? ClearColumns(g) : (0, 0);
            int* taken = stackalloc int[8];
            for (int plane = start; plane < end; plane++)
            {
                float* scores = Scores + (long)plane * g.Plane, d = D + (long)plane * g.Pooled, dx = Dx + (long)plane * g.Plane;
                if (Avx2.IsSupported && g.IsTwoByTwo)
                {
                    ScatterTwoByTwoVectors(scores, d, dx, g);
                    continue;
                }
                new Span<float>(dx, g.Plane).Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    int top = oy * g.StrideHeight - g.PadHeight, window = oy * g.OutWidth;
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        if (ox == clearFirst)
                        {
                            // Eight windows' first maxima found as vectors, then added window by window, in order.
                            for (; ox + 8 <= clearEnd; ox += 8)
                            {
                                Avx.Store(taken, FirstMaxima(scores, g, top, ox));
                                for (int lane = 0; lane < 8; lane++)
                                    dx[taken[lane]] += d[window + ox + lane];
                            }
                            if (ox == g.OutWidth)
                                break;
                        }
                        int at = FirstMaximum(scores, g, top, ox * g.StrideWidth - g.PadWidth);
                        if (at >= 0)
                            dx[at] += d[window + ox];
                    }
                }
            }
        }

        /// <summary>
        /// Eight 2×2 windows at a time, laid out as <see cref="MaxPoolPlanes"/>' vectors: the taps in
        /// window order (top even, top odd, bottom even, bottom odd), each taking over from the best so
        /// far when strictly larger or a NaN while the best is not; the gradient masked to the last tap
        /// taken and interleaved back into the two rows. Rows and columns no window covers are cleared.
        /// </summary>
        private static void ScatterTwoByTwoVectors(float* scores, float* d, float* dx, in PoolGeometry g)
        {
            int ow = g.OutWidth, runsPerRow = ow / 4, runs = g.OutHeight * runsPerRow, width = g.Width;
            int k = 0;
            for (; k + 2 <= runs; k += 2)
            {
                int oy0 = k / runsPerRow, ox0 = k % runsPerRow * 4, oy1 = (k + 1) / runsPerRow, ox1 = (k + 1) % runsPerRow * 4;
                long top0 = 2L * oy0 * width + 2 * ox0, top1 = 2L * oy1 * width + 2 * ox1;
                Vector256<float> a0 = Avx.LoadVector256(scores + top0), a1 = Avx.LoadVector256(scores + top1);
                Vector256<float> b0 = Avx.LoadVector256(scores + top0 + width), b1 = Avx.LoadVector256(scores + top1 + width);
                Vector256<float> gradient = Avx2.Permute4x64(
                    Vector256.Create(Sse.LoadVector128(d + oy0 * ow + ox0), Sse.LoadVector128(d + oy1 * ow + ox1)).AsDouble(), InOrder).AsSingle();

                Vector256<float> best = Avx.Shuffle(a0, a1, Even);
                Vector256<float> take1 = Takes(Avx.Shuffle(a0, a1, Odd), ref best);
                Vector256<float> take2 = Takes(Avx.Shuffle(b0, b1, Even), ref best);
                Vector256<float> take3 = Takes(Avx.Shuffle(b0, b1, Odd), ref best);
                Vector256<float> later2 = Avx.Or(take2, take3), later1 = Avx.Or(take1, later2);
                Vector256<float> g0 = Avx.AndNot(later1, gradient);
                Vector256<float> g1 = Avx.AndNot(later2, Avx.And(take1, gradient));
                Vector256<float> g2 = Avx.AndNot(take3, Avx.And(take2, gradient));
                Vector256<float> g3 = Avx.And(take3, gradient);
                Avx.Store(dx + top0, Avx.UnpackLow(g0, g1));
                Avx.Store(dx + top1, Avx.UnpackHigh(g0, g1));
                Avx.Store(dx + top0 + width, Avx.UnpackLow(g2, g3));
                Avx.Store(dx + top1 + width, Avx.UnpackHigh(g2, g3));
            }
            for (; k < runs; k++)
            {
                int oy = k / runsPerRow, ox = k % runsPerRow * 4;
                for (int w = 0; w < 4; w++)
                    ScatterOne(scores, d, dx, g, oy, ox + w);
            }
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = runsPerRow * 4; ox < ow; ox++)
                    ScatterOne(scores, d, dx, g, oy, ox);
                // An odd width's last column belongs to no window.
                for (int x = 2 * ow; x < width; x++)
                {
                    dx[2 * oy * width + x] = 0f;
                    dx[(2 * oy + 1) * width + x] = 0f;
                }
            }
            // An odd height's last row belongs to no window.
            new Span<float>(dx + 2L * g.OutHeight * width, (g.Height - 2 * g.OutHeight) * width).Clear();
        }

        /// <summary>One 2×2 window: its gradient at its first maximum, zero at its other three taps.</summary>
        private static void ScatterOne(float* scores, float* d, float* dx, in PoolGeometry g, int oy, int ox)
        {
            int top = 2 * oy * g.Width + 2 * ox;
            dx[top] = dx[top + 1] = dx[top + g.Width] = dx[top + g.Width + 1] = 0f;
            dx[FirstMaximum(scores, g, 2 * oy, 2 * ox)] = d[oy * g.OutWidth + ox];
        }

        /// <summary>Where <paramref name="tap"/> takes over from <paramref name="best"/> (strictly larger, or a NaN while the best is not), and the best updated.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // a call per tap with the best in memory otherwise (seen in perf)
        internal static Vector256<float> Takes(Vector256<float> tap, ref Vector256<float> best)
        {
            Vector256<float> takes = Avx.And(
                Avx.Or(Avx.CompareGreaterThan(tap, best), Avx.CompareUnordered(tap, tap)),
                Avx.CompareOrdered(best, best));
            best = Avx.BlendVariable(best, tap, takes);
            return takes;
        }
    }

    /// <summary>
    /// The output columns [first, end) whose windows lie clear of the side padding (every tap inside
    /// the row), where <see cref="FirstMaxima"/> may run; an empty range when there are none.
    /// </summary>
    private static (int First, int End) ClearColumns(in PoolGeometry g)
    {
        int first = (g.PadWidth + g.StrideWidth - 1) / g.StrideWidth;
        int room = g.Width - 1 - (g.KernelWidth - 1) * g.DilationWidth + g.PadWidth;
        int end = room < 0 ? 0 : Math.Min(g.OutWidth, room / g.StrideWidth + 1);
        return end > first ? (first, end) : (0, 0);
    }

    /// <summary>
    /// The plane indices of the first maxima of windows (oy, ox) to (oy, ox + 7), all clear of the side
    /// padding: each tap gathered for the eight windows and taken over lane by lane by the scalar
    /// scan's rule (strictly larger, or a NaN while the best is not), rows outside the image skipped.
    /// </summary>
    private static Vector256<int> FirstMaxima(float* scores, in PoolGeometry g, int top, int ox)
    {
        (int i0, int i1) = PoolGeometry.Inside(top, g.KernelHeight, g.DilationHeight, g.Height);
        Vector256<int> left = (Vector256.Create(ox) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)) * g.StrideWidth - Vector256.Create(g.PadWidth);
        Vector256<int> bestAt = left + Vector256.Create((top + i0 * g.DilationHeight) * g.Width);
        Vector256<float> best = Avx2.GatherVector256(scores, bestAt, 4);
        for (int i = i0; i < i1; i++)
        {
            int row = (top + i * g.DilationHeight) * g.Width;
            for (int j = 0; j < g.KernelWidth; j++)
            {
                Vector256<int> at = left + Vector256.Create(row + j * g.DilationWidth);
                Vector256<float> takes = MaxPoolBackwardPlanes.Takes(Avx2.GatherVector256(scores, at, 4), ref best);
                bestAt = Avx.BlendVariable(bestAt.AsSingle(), at.AsSingle(), takes).AsInt32();
            }
        }
        return bestAt;
    }

    /// <summary>Avx.Shuffle's selection of the even floats of each 128-bit lane of two vectors.</summary>
    private const byte Even = 0b10_00_10_00;

    /// <summary>Avx.Shuffle's selection of the odd floats.</summary>
    private const byte Odd = 0b11_01_11_01;

    /// <summary>
    /// Avx2.Permute4x64's order of 64-bit pairs 0, 2, 1, 3: the shuffled lanes hold the pairs of
    /// windows [run 0: 0–1, run 1: 0–1, run 0: 2–3, run 1: 2–3], this makes them run 0's four, then run 1's.
    /// </summary>
    private const byte InOrder = 0b11_01_10_00;
}
