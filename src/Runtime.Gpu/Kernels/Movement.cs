using System;

namespace Dsl.Kernels;

/// <summary>
/// The movement kernels of the general tensor ops, over row-major floats: swapping two axes
/// (Transpose), copying blocks into or out of a wider row (Concat's parts and Split's slices) and
/// writing the causal mask. A batch is more outer blocks; the generated program passes the counts.
/// </summary>
/// <remarks>Spans may be longer than the counts say (buffers sized for the largest batch); the extra elements are ignored.</remarks>
public static class Movement
{
    /// <summary>
    /// y[o, j, m, i, n] = x[o, i, m, j, n]: x viewed as [outer, a, middle, b, inner] with axes a and b
    /// swapped. A two-axis transpose is middle = inner = 1; the batch folds into outer.
    /// </summary>
    /// <param name="x">The input, [outer, a, middle, b, inner].</param>
    /// <param name="y">The result, [outer, b, middle, a, inner].</param>
    /// <param name="outer">The product of the axes before the first swapped one (times the batch).</param>
    /// <param name="a">The first swapped axis's length.</param>
    /// <param name="middle">The product of the axes between the two.</param>
    /// <param name="b">The second swapped axis's length.</param>
    /// <param name="inner">The product of the axes after the second.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void SwapAxes(ReadOnlySpan<float> x, Span<float> y, int outer, int a, int middle, int b, int inner)
    {
        int block = a * middle * b * inner;
        Check(x.Length, outer * block, nameof(x));
        Check(y.Length, outer * block, nameof(y));
        if (inner == 1)
        {
            SwapScalars(x, y, outer, a, middle, b);
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<float> source = x.Slice(o * block, block);
            Span<float> destination = y.Slice(o * block, block);
            for (int j = 0; j < b; j++)
                for (int m = 0; m < middle; m++)
                    for (int i = 0; i < a; i++)
                        source.Slice((((i * middle) + m) * b + j) * inner, inner)
                            .CopyTo(destination.Slice((((j * middle) + m) * a + i) * inner, inner));
        }
    }

    /// <summary>
    /// <see cref="SwapAxes"/> with single floats for blocks (a convolution's [positions, channels]
    /// to channels first and back): a span copy per float cost more than the float, so the
    /// [a, b] planes are walked in square tiles instead, which keep the reads and the writes
    /// within a few cache lines each, and split over the cores by plane. Pure movement: the same
    /// bits as the block copies.
    /// </summary>
    private static unsafe void SwapScalars(ReadOnlySpan<float> x, Span<float> y, int outer, int a, int middle, int b)
    {
        fixed (float* px = x, py = y)
        {
            var kernel = new SwapPlanes { X = px, Y = py, A = a, Middle = middle, B = b };
            RowSplit.Run(kernel, outer * middle, (long)a * b);
        }
    }

    /// <summary>Units are the (o, m) planes: y[o, j, m, i] = x[o, i, m, j] for every (i, j) of one plane.</summary>
    private unsafe struct SwapPlanes : IRowKernel
    {
        /// <summary>Floats per side of a tile: 16 by 16 floats is 16 cache lines read and 16 written.</summary>
        private const int Tile = 16;

        public float* X;
        public float* Y;
        public int A, Middle, B;

        public readonly void Execute(int start, int end)
        {
            int a = A, middle = Middle, b = B;
            long block = (long)a * middle * b;
            // Within a plane, x's rows (index i) are middle·b floats apart and y's rows (index j) middle·a.
            long sourceRow = (long)middle * b, destinationRow = (long)middle * a;
            for (int unit = start; unit < end; unit++)
            {
                int o = unit / middle, m = unit % middle;
                float* source = X + o * block + (long)m * b;
                float* destination = Y + o * block + (long)m * a;
                for (int i0 = 0; i0 < a; i0 += Tile)
                {
                    int i1 = Math.Min(i0 + Tile, a);
                    for (int j0 = 0; j0 < b; j0 += Tile)
                    {
                        int j1 = Math.Min(j0 + Tile, b);
                        // The inner loop steps along the side whose other stride is the shorter: its
                        // 16 strided accesses a row apart in 4 KB rows would all fall in one L1 set.
                        if (destinationRow <= sourceRow)
                        {
                            for (int i = i0; i < i1; i++)
                            {
                                float* row = source + i * sourceRow;
                                for (int j = j0; j < j1; j++)
                                    destination[j * destinationRow + i] = row[j];
                            }
                        }
                        else
                        {
                            for (int j = j0; j < j1; j++)
                            {
                                float* row = destination + j * destinationRow;
                                for (int i = i0; i < i1; i++)
                                    row[i] = source[i * sourceRow + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="blocks"/> blocks k: <paramref name="width"/> floats from x at
    /// (k mod sourceBlocks)·sourceStride + sourceOffset to y at k·destinationStride + destinationOffset.
    /// A Concat part is copied into its place in each row, a Split part out of it; an unbatched part
    /// of a batched Concat has fewer source blocks, which repeat.
    /// </summary>
    /// <param name="x">The source.</param>
    /// <param name="y">The destination.</param>
    /// <param name="blocks">The number of blocks written.</param>
    /// <param name="sourceBlocks">The number of distinct source blocks (blocks, or fewer that repeat).</param>
    /// <param name="width">The floats per block.</param>
    /// <param name="sourceStride">The distance between source blocks.</param>
    /// <param name="sourceOffset">Where the first source block starts.</param>
    /// <param name="destinationStride">The distance between destination blocks.</param>
    /// <param name="destinationOffset">Where the first destination block starts.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void CopyBlocks(ReadOnlySpan<float> x, Span<float> y, int blocks, int sourceBlocks, int width,
        int sourceStride, int sourceOffset, int destinationStride, int destinationOffset)
    {
        if (blocks == 0) return;
        Check(x.Length, ((Math.Min(blocks, sourceBlocks) - 1) * sourceStride) + sourceOffset + width, nameof(x));
        Check(y.Length, ((blocks - 1) * destinationStride) + destinationOffset + width, nameof(y));
        for (int k = 0; k < blocks; k++)
            x.Slice(((k % sourceBlocks) * sourceStride) + sourceOffset, width).CopyTo(y.Slice((k * destinationStride) + destinationOffset, width));
    }

    /// <summary>y[i, j] = 1 where j ≤ i, else 0: the [n, n] causal mask (torch.tril of ones).</summary>
    /// <param name="y">The result, [n, n].</param>
    /// <param name="n">The sequence length.</param>
    /// <exception cref="ArgumentException">y is shorter than n².</exception>
    public static void CausalMask(Span<float> y, int n)
    {
        Check(y.Length, n * n, nameof(y));
        for (int i = 0; i < n; i++)
        {
            y.Slice(i * n, i + 1).Fill(1f);
            y.Slice((i * n) + i + 1, n - i - 1).Clear();
        }
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} floats but the counts need {needed}.", name);
    }
}
