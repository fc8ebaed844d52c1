using System;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>One (example, head) of <see cref="Attention"/>'s forward and backward passes.</summary>
public static unsafe partial class Attention
{
    /// <summary>The forward pass over units u = example·heads + head.</summary>
    private struct ForwardUnits : IRowKernel
    {
        public Heads Shape;
        public float* Qkv;
        public float* Y;

        public readonly void Execute(int start, int end)
        {
            Heads s = Shape;
            int length = s.Length, width = s.Width, stride = s.Padded, rowWidth = 3 * s.Model;
            fixed (float* scratch = Scratch(width * stride + stride))
            {
                float* keys = scratch, weights = scratch + width * stride;
                var mask = new DropoutMask(s.Seed, s.Site, s.Step, s.P);
                for (int u = start; u < end; u++)
                {
                    int example = u / s.Count, head = u % s.Count;
                    float* q = Qkv + (long)example * length * rowWidth + head * width, k = q + s.Model, v = k + s.Model;
                    Transpose(k, rowWidth, length, width, keys, stride);
                    ulong first = (ulong)u * (ulong)length * (ulong)length;
                    for (int i = 0; i < length; i++)
                    {
                        int visible = s.Visible(i);
                        Scores(q + (long)i * rowWidth, s.Scale, keys, stride, width, visible, weights);
                        Softmax(weights, visible);
                        if (s.P > 0f)
                            Drop(ref mask, weights, visible, first + (ulong)i * (ulong)length);
                        Combine(weights, visible, v, rowWidth, width, 1f, Y + ((long)example * length + i) * s.Model + head * width);
                    }
                }
            }
        }
    }

    /// <summary>The backward pass over units u = example·heads + head: dq row by row, dk and dv summed in scratch and stored at the end.</summary>
    private struct BackwardUnits : IRowKernel
    {
        public Heads Shape;
        public float* Qkv;
        public float* Gradient;
        public float* Result;

        public readonly void Execute(int start, int end)
        {
            Heads s = Shape;
            int length = s.Length, width = s.Width, stride = s.Padded, rowWidth = 3 * s.Model;
            int head2 = width * stride, rows = length * width;
            fixed (float* scratch = Scratch(2 * head2 + 3 * stride + 2 * rows + width))
            {
                float* keys = scratch, values = keys + head2;
                float* weights = values + head2, weightGradient = weights + stride, kept = weightGradient + stride;
                float* keyGradient = kept + stride, valueGradient = keyGradient + rows, scaledQuery = valueGradient + rows;
                var mask = new DropoutMask(s.Seed, s.Site, s.Step, s.P);
                for (int u = start; u < end; u++)
                {
                    int example = u / s.Count, head = u % s.Count;
                    long exampleRows = (long)example * length;
                    float* q = Qkv + exampleRows * rowWidth + head * width, k = q + s.Model, v = k + s.Model;
                    float* dq = Result + exampleRows * rowWidth + head * width;
                    Transpose(k, rowWidth, length, width, keys, stride);
                    Transpose(v, rowWidth, length, width, values, stride);
                    new Span<float>(keyGradient, 2 * rows).Clear();
                    ulong first = (ulong)u * (ulong)length * (ulong)length;
                    for (int i = 0; i < length; i++)
                    {
                        int visible = s.Visible(i);
                        float* qi = q + (long)i * rowWidth, gi = Gradient + (exampleRows + i) * s.Model + head * width;

                        // P again from q and k, and the weights' cotangent ȳ·vᵀ.
                        Scores(qi, s.Scale, keys, stride, width, visible, weights);
                        Softmax(weights, visible);
                        Scores(gi, 1f, values, stride, width, visible, weightGradient);

                        // Dropout: dv takes the dropped weights, and the cotangent goes back through the same mask.
                        float* dropped = weights;
                        if (s.P > 0f)
                        {
                            Factors(ref mask, kept, visible, first + (ulong)i * (ulong)length);
                            for (int j = 0; j < visible; j++)
                            {
                                weightGradient[j] *= kept[j];
                                kept[j] *= weights[j];
                            }
                            dropped = kept;
                        }
                        AddOuter(dropped, visible, gi, valueGradient, width);

                        // The softmax's backward: dS = P ⊙ (dP − Σ P⊙dP).
                        float dot = 0f;
                        for (int j = 0; j < visible; j++)
                            dot += weightGradient[j] * weights[j];
                        for (int j = 0; j < visible; j++)
                            weightGradient[j] = weights[j] * (weightGradient[j] - dot);

                        Combine(weightGradient, visible, k, rowWidth, width, s.Scale, dq + (long)i * rowWidth);
                        for (int c = 0; c < width; c++)
                            scaledQuery[c] = s.Scale * qi[c];
                        AddOuter(weightGradient, visible, scaledQuery, keyGradient, width);
                    }

                    for (int j = 0; j < length; j++)
                    {
                        float* target = dq + (long)j * rowWidth;
                        new ReadOnlySpan<float>(keyGradient + j * width, width).CopyTo(new Span<float>(target + s.Model, width));
                        new ReadOnlySpan<float>(valueGradient + j * width, width).CopyTo(new Span<float>(target + 2 * s.Model, width));
                    }
                }
            }
        }
    }

    /// <summary>f[j] = the dropout's factor at position first + j (its scale, or 0), for j &lt; count.</summary>
    private static void Factors(ref DropoutMask mask, float* f, int count, ulong first)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8)
            mask.Apply(Vector256<float>.One, first + (ulong)j).Store(f + j);
        for (; j < count; j++)
            f[j] = mask.Apply(1f, first + (ulong)j);
    }
}
