using System;
using System.Runtime.Intrinsics;

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
        // Row by row: the reads run along the projection's rows, the strided writes stay in the L1-sized scratch.
        for (int j = 0; j < rows; j++)
        {
            float* row = x + (long)j * xStride;
            for (int c = 0; c < width; c++)
                t[(long)c * stride + j] = row[c];
        }
        for (int c = 0; c < width; c++)
            for (int j = rows; j < stride; j++)
                t[(long)c * stride + j] = 0f;
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
