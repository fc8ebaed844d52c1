using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

/// <summary>The per-row pieces both passes of <see cref="Attention"/> are made of.</summary>
public static unsafe partial class Attention
{
    /// <summary>Each thread's scratch (transposed heads, a row of weights and its gradient), grown on demand and kept.</summary>
    [ThreadStatic]
    private static float[]? t_scratch;

    private static float[] Scratch(int length) =>
        t_scratch is { } held && held.Length >= length ? held : t_scratch = new float[length];

    /// <summary>t[c, j] = x[j, c] for j &lt; rows, c &lt; width, zero for j in [rows, stride): a head laid out for <see cref="Scores"/>.</summary>
    private static void Transpose(float* x, int xStride, int rows, int width, float* t, int stride)
    {
        int j0 = 0;
        if (Avx.IsSupported)
        {
            // 8 × 8 blocks through registers: eight row loads, 24 shuffles, eight column stores,
            // instead of 64 scalar stores each to its own cache line.
            for (; j0 + 8 <= rows; j0 += 8)
                for (int c0 = 0; c0 + 8 <= width; c0 += 8)
                    Transpose8(x + (long)j0 * xStride + c0, xStride, t + (long)c0 * stride + j0, stride);
        }

        int blocked = j0 > 0 ? width & ~7 : 0;
        for (int j = 0; j < rows; j++)
        {
            float* row = x + (long)j * xStride;
            for (int c = j < j0 ? blocked : 0; c < width; c++)
                t[(long)c * stride + j] = row[c];
        }
        for (int c = 0; c < width; c++)
            for (int j = rows; j < stride; j++)
                t[(long)c * stride + j] = 0f;
    }

    /// <summary>t[c, j] = x[j, c] for an 8 × 8 block (x's rows <paramref name="xStride"/> apart, t's <paramref name="stride"/>).</summary>
    private static void Transpose8(float* x, long xStride, float* t, long stride)
    {
        Vector256<float> r0 = Avx.LoadVector256(x), r1 = Avx.LoadVector256(x + xStride);
        Vector256<float> r2 = Avx.LoadVector256(x + 2 * xStride), r3 = Avx.LoadVector256(x + 3 * xStride);
        Vector256<float> r4 = Avx.LoadVector256(x + 4 * xStride), r5 = Avx.LoadVector256(x + 5 * xStride);
        Vector256<float> r6 = Avx.LoadVector256(x + 6 * xStride), r7 = Avx.LoadVector256(x + 7 * xStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(t, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(t + stride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(t + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(t + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(t + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(t + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(t + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(t + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// s[j] = Σ_c (scale·x[c]) · t[c, j] for j &lt; visible, with scale·x[c] rounded to float first (as the
    /// unfused path scales q before its product). Whole vectors of keys: s is written up to visible rounded up to 8.
    /// </summary>
    private static void Scores(float* x, float scale, float* t, int stride, int width, int visible, float* s)
    {
        int vectors = (visible + 7) >> 3, v = 0;
        for (; v + 4 <= vectors; v += 4)
        {
            // Four vectors of keys in registers over the whole head: t is read once per query row.
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* column = t + 8 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector256<float> b = Vector256.Create(scale * x[c]);
                a0 = Vector256.FusedMultiplyAdd(b, Vector256.Load(column), a0);
                a1 = Vector256.FusedMultiplyAdd(b, Vector256.Load(column + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(b, Vector256.Load(column + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(b, Vector256.Load(column + 24), a3);
            }
            a0.Store(s + 8 * v);
            a1.Store(s + 8 * v + 8);
            a2.Store(s + 8 * v + 16);
            a3.Store(s + 8 * v + 24);
        }

        for (; v < vectors; v++)
        {
            Vector256<float> a = default;
            float* column = t + 8 * v;
            for (int c = 0; c < width; c++, column += stride)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(scale * x[c]), Vector256.Load(column), a);
            a.Store(s + 8 * v);
        }
    }

    /// <summary>s[j] = mask.Apply(s[j], first + j) for j &lt; count: dropout at the weights' own stream positions.</summary>
    private static void Drop(ref DropoutMask mask, float* s, int count, ulong first)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8)
            mask.Apply(Vector256.Load(s + j), first + (ulong)j).Store(s + j);
        for (; j < count; j++)
            s[j] = mask.Apply(s[j], first + (ulong)j);
    }

    /// <summary>
    /// y[c] = scale · Σ_j w[j·wStride] · rows[j, c] (+ y[c] when <paramref name="accumulate"/>) for
    /// c &lt; width, j &lt; count (rows <paramref name="stride"/> apart): weights (a row, or with a stride
    /// a column) times a head, summed in registers, the result stored once.
    /// </summary>
    private static void Combine(float* w, long wStride, int count, float* rows, long stride, int width, float scale, float* y, bool accumulate)
    {
        int c = 0;
        for (; c + 32 <= width; c += 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* row = rows + c, weight = w;
            for (int j = 0; j < count; j++, row += stride, weight += wStride)
            {
                Vector256<float> b = Vector256.Create(*weight);
                a0 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row), a0);
                a1 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 24), a3);
            }
            Store(a0, scale, y + c, accumulate);
            Store(a1, scale, y + c + 8, accumulate);
            Store(a2, scale, y + c + 16, accumulate);
            Store(a3, scale, y + c + 24, accumulate);
        }

        for (; c + 8 <= width; c += 8)
        {
            Vector256<float> a = default;
            float* row = rows + c, weight = w;
            for (int j = 0; j < count; j++, row += stride, weight += wStride)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(*weight), Vector256.Load(row), a);
            Store(a, scale, y + c, accumulate);
        }

        for (; c < width; c++)
        {
            float sum = 0f;
            for (int j = 0; j < count; j++)
                sum = MathF.FusedMultiplyAdd(w[(long)j * wStride], rows[(long)j * stride + c], sum);
            y[c] = accumulate ? y[c] + scale * sum : scale * sum;
        }
    }

    private static void Store(Vector256<float> sum, float scale, float* y, bool accumulate) =>
        (accumulate ? Vector256.Load(y) + sum * scale : sum * scale).Store(y);
}
