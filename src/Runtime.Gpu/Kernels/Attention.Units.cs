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
            fixed (float* scratch = Scratch(width * stride + TileRows * stride + TileRows * width))
            {
                float* keys = scratch, weights = scratch + width * stride; // [dh, stride] Kᵀ, [4, stride] the tile's weights
                float* scaled = weights + TileRows * stride;              // [4, dh]: scale·q of the tile's rows
                var mask = new DropoutMask(s.Seed, s.Site, s.Step, s.P);
                for (int u = start; u < end; u++)
                {
                    int example = u / s.Count, head = u % s.Count;
                    float* q = Qkv + (long)example * length * rowWidth + head * width, k = q + s.Model, v = k + s.Model;
                    float* y = Y + (long)example * length * s.Model + head * width;
                    Transpose(k, rowWidth, length, width, keys, stride);
                    ulong first = (ulong)u * (ulong)length * (ulong)length;
                    for (int i0 = 0; i0 < length; i0 += TileRows)
                    {
                        // The tile's keys: those its last row sees; the masked part past them is skipped.
                        int rows = Math.Min(TileRows, length - i0), seen = s.Visible(i0 + rows - 1), padded = (seen + 7) & ~7;
                        if (rows == TileRows)
                        {
                            ScaleRows(q + (long)i0 * rowWidth, rowWidth, s.Scale, width, scaled);
                            Scores4(scaled, width, keys, stride, width, seen, weights, stride);
                        }
                        else
                            for (int r = 0; r < rows; r++)
                                Scores(q + (long)(i0 + r) * rowWidth, s.Scale, keys, stride, width, seen, weights + r * stride);
                        for (int r = 0; r < rows; r++)
                        {
                            int visible = s.Visible(i0 + r);
                            SoftmaxRow(weights + r * stride, visible, padded);
                            if (s.P > 0f)
                                Drop(ref mask, weights + r * stride, visible, first + (ulong)(i0 + r) * (ulong)length);
                        }

                        if (rows == TileRows)
                            Combine4(weights, 1, stride, seen, v, rowWidth, width, 1f, y + (long)i0 * s.Model, s.Model, accumulate: false);
                        else
                            for (int r = 0; r < rows; r++)
                                Combine(weights + r * stride, 1, seen, v, rowWidth, width, 1f, y + (long)(i0 + r) * s.Model, accumulate: false);
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
            fixed (float* scratch = Scratch(2 * head2 + 2 * tile + (TileRows + 1) * stride + block * width))
            {
                float* keys = scratch, values = keys + head2;
                float* dropped = values + head2, scoreGradient = dropped + tile;  // [block, stride]: P̃ and dS of the block's rows
                float* weights = scoreGradient + tile, kept = weights + TileRows * stride; // a tile's P, one row's dropout factors
                float* scaledQueries = kept + stride;                             // [block, dh]: scale·q of the block's rows
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
                        for (int t0 = i0; t0 < i1; t0 += TileRows)
                            QueryTile(s, t0, Math.Min(TileRows, i1 - t0), i0, ref mask, first, q, k, gradient, result, keys, values, weights, kept, dropped, scoreGradient, scaledQueries);

                        // Key j's gradients from the rows of the block that see it, four keys at a time. The
                        // first block that does (its own under a causal mask, else the first) writes, later
                        // blocks add; i0 is a multiple of four, so the four keys agree on which.
                        int seen = s.Causal ? i1 : length, j = 0;
                        for (; j < seen; j += j + TileRows <= seen ? TileRows : 1)
                        {
                            int from = s.Causal ? Math.Max(i0, j) : i0, count = i1 - from;
                            bool accumulate = s.Causal ? j < i0 : i0 > 0;
                            float* target = result + (long)j * rowWidth, rowGradient = scoreGradient + (from - i0) * stride + j, rowDropped = dropped + (from - i0) * stride + j;
                            float* queries = scaledQueries + (from - i0) * width, cotangent = gradient + (long)from * s.Model;
                            if (j + TileRows <= seen)
                            {
                                // Rows below key j + r (r < 4) hold zeros in its column: they add nothing.
                                Combine4(rowGradient, stride, 1, count, queries, width, width, 1f, target + s.Model, rowWidth, accumulate);
                                Combine4(rowDropped, stride, 1, count, cotangent, s.Model, width, 1f, target + 2 * s.Model, rowWidth, accumulate);
                            }
                            else
                            {
                                Combine(rowGradient, stride, count, queries, width, width, 1f, target + s.Model, accumulate);
                                Combine(rowDropped, stride, count, cotangent, s.Model, width, 1f, target + 2 * s.Model, accumulate);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Query rows t0 … t0 + rows − 1 (at most four) of the block starting at i0: P again from q and k,
        /// the dropped weights' cotangent ȳ·vᵀ, P̃ and dS into the block's rows (zero past each row's
        /// visible keys up to the tile's), dq, and scale·q kept for the keys' gradients.
        /// </summary>
        private static void QueryTile(in Heads s, int t0, int rows, int i0, ref DropoutMask mask, ulong first, float* q, float* k, float* gradient, float* result,
            float* keys, float* values, float* weights, float* kept, float* dropped, float* scoreGradient, float* scaledQueries)
        {
            int length = s.Length, width = s.Width, stride = s.Padded, rowWidth = 3 * s.Model;
            int seen = s.Visible(t0 + rows - 1), padded = (seen + 7) & ~7;
            float* tileDropped = dropped + (t0 - i0) * stride, tileGradient = scoreGradient + (t0 - i0) * stride;
            float* tileQueries = scaledQueries + (t0 - i0) * width;
            ScaleRows(q + (long)t0 * rowWidth, rowWidth, s.Scale, width, tileQueries, rows);
            if (rows == TileRows)
            {
                Scores4(tileQueries, width, keys, stride, width, seen, weights, stride);
                Scores4(gradient + (long)t0 * s.Model, s.Model, values, stride, width, seen, tileGradient, stride);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    Scores(q + (long)(t0 + r) * rowWidth, s.Scale, keys, stride, width, seen, weights + r * stride);
                    Scores(gradient + (long)(t0 + r) * s.Model, 1f, values, stride, width, seen, tileGradient + r * stride);
                }
            }

            for (int r = 0; r < rows; r++)
            {
                int i = t0 + r, visible = s.Visible(i);
                float* rowWeights = weights + r * stride, rowDropped = tileDropped + r * stride, rowGradient = tileGradient + r * stride;
                SoftmaxRow(rowWeights, visible, padded);
                if (s.P > 0f)
                {
                    Factors(ref mask, kept, visible, first + (ulong)i * (ulong)length);
                    Undrop(rowWeights, kept, rowGradient, rowDropped, visible);
                }
                else
                {
                    new ReadOnlySpan<float>(rowWeights, visible).CopyTo(new Span<float>(rowDropped, visible));
                }

                SoftmaxBackward(rowWeights, rowGradient, visible);
                Clear(rowDropped, visible, padded);
                Clear(rowGradient, visible, padded);
            }

            if (rows == TileRows)
                Combine4(tileGradient, 1, stride, seen, k, rowWidth, width, s.Scale, result + (long)t0 * rowWidth, rowWidth, accumulate: false);
            else
                for (int r = 0; r < rows; r++)
                    Combine(tileGradient + r * stride, 1, seen, k, rowWidth, width, s.Scale, result + (long)(t0 + r) * rowWidth, accumulate: false);
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

    /// <summary>The softmax's backward in place: g ← P ⊙ (g − Σ_j P[j]·g[j]), the dot product in registers.</summary>
    private static void SoftmaxBackward(float* weights, float* g, int count)
    {
        Vector256<float> sum = Vector256<float>.Zero;
        int j = 0;
        for (; j + 8 <= count; j += 8)
            sum = Vector256.FusedMultiplyAdd(Vector256.Load(weights + j), Vector256.Load(g + j), sum);
        float dot = Vector256.Sum(sum);
        for (int l = j; l < count; l++)
            dot = MathF.FusedMultiplyAdd(weights[l], g[l], dot);
        Vector256<float> d = Vector256.Create(dot);
        for (j = 0; j + 8 <= count; j += 8)
            (Vector256.Load(weights + j) * (Vector256.Load(g + j) - d)).Store(g + j);
        for (; j < count; j++)
            g[j] = weights[j] * (g[j] - dot);
    }

    /// <summary>y[r, c] = scale · x[r, c] for r &lt; rows (x's rows <paramref name="xStride"/> apart, y's dense): q scaled and rounded once, as the unfused path scales it.</summary>
    private static void ScaleRows(float* x, long xStride, float scale, int width, float* y, int rows = TileRows)
    {
        for (int r = 0; r < rows; r++, x += xStride, y += width)
            for (int c = 0; c < width; c++)
                y[c] = scale * x[c];
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
