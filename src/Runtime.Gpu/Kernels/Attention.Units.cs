using System;
using System.Numerics.Tensors;
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
                        Combine(weights, 1, visible, v, rowWidth, width, 1f, Y + ((long)example * length + i) * s.Model + head * width, accumulate: false);
                    }
                }
            }
        }
    }

    /// <summary>Query rows per block of the backward pass: their dropped weights and score gradients stay in scratch until each key's gradient has taken them.</summary>
    private const int BlockRows = 64;

    /// <summary>
    /// The backward pass over units u = example·heads + head, by blocks of query rows: per row, P
    /// again, dP, dS and dq; then per key, dk and dv from the block's rows that see it, summed in
    /// registers and added to the key's row of the result once per block.
    /// </summary>
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
            int block = Math.Min(BlockRows, length), head2 = width * stride, tile = block * stride;
            fixed (float* scratch = Scratch(2 * head2 + 2 * tile + 2 * stride + block * width))
            {
                float* keys = scratch, values = keys + head2;
                float* dropped = values + head2, scoreGradient = dropped + tile; // [block, stride]: P̃ and dS of the block's rows
                float* weights = scoreGradient + tile, kept = weights + stride;   // one row's P and dropout factors
                float* scaledQueries = kept + stride;                            // [block, dh]: scale·q of the block's rows
                var mask = new DropoutMask(s.Seed, s.Site, s.Step, s.P);
                for (int u = start; u < end; u++)
                {
                    int example = u / s.Count, head = u % s.Count;
                    long exampleRows = (long)example * length;
                    float* q = Qkv + exampleRows * rowWidth + head * width, k = q + s.Model, v = k + s.Model;
                    float* result = Result + exampleRows * rowWidth + head * width;
                    float* gradient = Gradient + exampleRows * s.Model + head * width;
                    Transpose(k, rowWidth, length, width, keys, stride);
                    Transpose(v, rowWidth, length, width, values, stride);
                    ulong first = (ulong)u * (ulong)length * (ulong)length;
                    for (int i0 = 0; i0 < length; i0 += block)
                    {
                        int i1 = Math.Min(i0 + block, length);
                        for (int i = i0; i < i1; i++)
                        {
                            int visible = s.Visible(i);
                            float* qi = q + (long)i * rowWidth, gi = gradient + (long)i * s.Model;
                            float* rowDropped = dropped + (i - i0) * stride, rowGradient = scoreGradient + (i - i0) * stride;

                            // P again from q and k, and the dropped weights' cotangent ȳ·vᵀ.
                            Scores(qi, s.Scale, keys, stride, width, visible, weights);
                            Softmax(weights, visible);
                            Scores(gi, 1f, values, stride, width, visible, rowGradient);
                            if (s.P > 0f)
                            {
                                Factors(ref mask, kept, visible, first + (ulong)i * (ulong)length);
                                Undrop(weights, kept, rowGradient, rowDropped, visible);
                            }
                            else
                            {
                                new ReadOnlySpan<float>(weights, visible).CopyTo(new Span<float>(rowDropped, visible));
                            }

                            SoftmaxBackward(weights, rowGradient, visible);
                            Combine(rowGradient, 1, visible, k, rowWidth, width, s.Scale, result + (long)i * rowWidth, accumulate: false);
                            for (int c = 0; c < width; c++)
                                scaledQueries[(i - i0) * width + c] = s.Scale * qi[c];
                        }

                        // Key j's gradients from the rows of the block that see it. The first block that
                        // does (its own under a causal mask, else the first) writes, later blocks add.
                        int seen = s.Causal ? i1 : length;
                        for (int j = 0; j < seen; j++)
                        {
                            int from = s.Causal ? Math.Max(i0, j) : i0, count = i1 - from;
                            bool accumulate = s.Causal ? j < i0 : i0 > 0;
                            float* target = result + (long)j * rowWidth;
                            Combine(scoreGradient + (from - i0) * stride + j, stride, count, scaledQueries + (from - i0) * width, width, width, 1f, target + s.Model, accumulate);
                            Combine(dropped + (from - i0) * stride + j, stride, count, gradient + (long)from * s.Model, s.Model, width, 1f, target + 2 * s.Model, accumulate);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Through the weights' dropout, with f the factors (scale or 0): the cotangent g ← g·f and the dropped
    /// weights d = f·P, the products the unfused dropout forms (x · scale), so the same bits.
    /// </summary>
    private static void Undrop(float* weights, float* f, float* g, float* dropped, int count)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8)
        {
            Vector256<float> factor = Vector256.Load(f + j);
            (Vector256.Load(g + j) * factor).Store(g + j);
            (Vector256.Load(weights + j) * factor).Store(dropped + j);
        }
        for (; j < count; j++)
        {
            g[j] *= f[j];
            dropped[j] = weights[j] * f[j];
        }
    }

    /// <summary>The softmax's backward in place: g ← P ⊙ (g − Σ_j P[j]·g[j]).</summary>
    private static void SoftmaxBackward(float* weights, float* g, int count)
    {
        float dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(weights, count), new ReadOnlySpan<float>(g, count));
        int j = 0;
        Vector256<float> d = Vector256.Create(dot);
        for (; j + 8 <= count; j += 8)
            (Vector256.Load(weights + j) * (Vector256.Load(g + j) - d)).Store(g + j);
        for (; j < count; j++)
            g[j] = weights[j] * (g[j] - dot);
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
