using System;
using System.Numerics.Tensors;
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
        for (int c = 0; c < width; c++)
        {
            float* column = t + (long)c * stride;
            for (int j = 0; j < rows; j++)
                column[j] = x[(long)j * xStride + c];
            for (int j = rows; j < stride; j++)
                column[j] = 0f;
        }
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

    /// <summary>s[..visible] = softmax(s[..visible]), the arithmetic of <see cref="Rows.CausalSoftmax"/>'s rows.</summary>
    private static void Softmax(float* s, int visible)
    {
        var row = new Span<float>(s, visible);
        float max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, row);
        TensorPrimitives.Exp(row, row);
        TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
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
    /// y[c] = scale · Σ_j w[j] · rows[j, c] for c &lt; width, j &lt; count (rows <paramref name="stride"/>
    /// apart): a row of weights times a head, accumulated in registers, the result stored once.
    /// </summary>
    private static void Combine(float* w, int count, float* rows, int stride, int width, float scale, float* y)
    {
        int c = 0;
        for (; c + 32 <= width; c += 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* row = rows + c;
            for (int j = 0; j < count; j++, row += stride)
            {
                Vector256<float> b = Vector256.Create(w[j]);
                a0 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row), a0);
                a1 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(b, Vector256.Load(row + 24), a3);
            }
            (a0 * scale).Store(y + c);
            (a1 * scale).Store(y + c + 8);
            (a2 * scale).Store(y + c + 16);
            (a3 * scale).Store(y + c + 24);
        }

        for (; c + 8 <= width; c += 8)
        {
            Vector256<float> a = default;
            float* row = rows + c;
            for (int j = 0; j < count; j++, row += stride)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(w[j]), Vector256.Load(row), a);
            (a * scale).Store(y + c);
        }

        for (; c < width; c++)
        {
            float sum = 0f;
            for (int j = 0; j < count; j++)
                sum = MathF.FusedMultiplyAdd(w[j], rows[(long)j * stride + c], sum);
            y[c] = scale * sum;
        }
    }

    /// <summary>rows[j, c] += w[j] · x[c] for j &lt; count, c &lt; width (rows packed, width apart): a rank-one update of a head's gradient.</summary>
    private static void AddOuter(float* w, int count, float* x, float* rows, int width)
    {
        for (int j = 0; j < count; j++)
        {
            float* row = rows + (long)j * width;
            Vector256<float> b = Vector256.Create(w[j]);
            int c = 0;
            for (; c + 8 <= width; c += 8)
                Vector256.FusedMultiplyAdd(b, Vector256.Load(x + c), Vector256.Load(row + c)).Store(row + c);
            for (; c < width; c++)
                row[c] = MathF.FusedMultiplyAdd(w[j], x[c], row[c]);
        }
    }
}
