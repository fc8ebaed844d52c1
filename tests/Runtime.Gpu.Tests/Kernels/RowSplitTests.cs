using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// The layer-norm and sequence kernels on matrices large enough for <see cref="CpuParallel"/> to
/// split them, against the same kernels one row at a time (a one-row call always runs on the
/// calling thread) or their definitions: odd row counts and rows that end in vector tails.
/// </summary>
public sealed class RowSplitTests
{
    private const float Epsilon = 1e-5f;

    // 1,023 rows; widths with no tail, a one-element tail, and a 256-bit-sized piece plus a tail.
    public static TheoryData<int, int> Shapes => new() { { 1023, 128 }, { 1023, 129 }, { 1001, 37 }, { 3, 5 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LayerNormIsTheSameSplitOrRowByRow(int rows, int cols)
    {
        float[] x = Values(rows * cols, seed: rows + cols, offset: 3f), g = Values(rows * cols, seed: cols, offset: 0f);
        float[] y = new float[rows * cols], scale = new float[rows], dx = new float[rows * cols];
        LayerNormKernels.Normalize(x, y, rows, cols, Epsilon);
        LayerNormKernels.InverseDeviation(x, scale, rows, cols, Epsilon);
        LayerNormKernels.Backward(y, scale, g, dx, rows, cols);

        float[] rowY = new float[cols], rowScale = new float[1], rowDx = new float[cols];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.AsSpan(r * cols, cols);
            LayerNormKernels.Normalize(row, rowY, 1, cols, Epsilon);
            LayerNormKernels.InverseDeviation(row, rowScale, 1, cols, Epsilon);
            LayerNormKernels.Backward(rowY, rowScale, g.AsSpan(r * cols, cols), rowDx, 1, cols);
            Assert.True(rowY.AsSpan().SequenceEqual(y.AsSpan(r * cols, cols)), $"Normalize row {r}");
            Assert.Equal(rowScale[0], scale[r]);
            Assert.True(rowDx.AsSpan().SequenceEqual(dx.AsSpan(r * cols, cols)), $"Backward row {r}");
        }

        // And against the definitions in double, every row (tails included).
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.Skip(r * cols).Take(cols).Select(v => (double)v).ToArray();
            double mean = row.Average(), inverse = 1 / Math.Sqrt(row.Average(v => (v - mean) * (v - mean)) + Epsilon);
            Assert.Equal(inverse, scale[r], inverse * 1e-5);
            double meanG = 0, meanGx = 0;
            for (int c = 0; c < cols; c++)
            {
                meanG += g[r * cols + c] / (double)cols;
                meanGx += g[r * cols + c] * (row[c] - mean) * inverse / cols;
            }

            for (int c = 0; c < cols; c++)
            {
                double normalised = (row[c] - mean) * inverse;
                Assert.Equal(normalised, y[r * cols + c], 1e-4);
                Assert.Equal(inverse * (g[r * cols + c] - meanG - normalised * meanGx), dx[r * cols + c], 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(16, 64, 4, 32, 1, 3)]
    [InlineData(7, 63, 3, 5, 2, 3)]
    [InlineData(9, 65, 4, 32, 0, 1)]
    public void HeadMovementOfLargeBatchesFollowsTheDefinition(int batch, int length, int heads, int dh, int part, int parts)
    {
        int width = parts * heads * dh;
        float[] x = Values(batch * length * width, seed: 5, offset: 0f);
        float[] y = new float[batch * heads * length * dh];
        Sequences.SplitHeads(x, y, batch, length, heads, dh, part, parts);
        float[] merged = Enumerable.Repeat(float.NaN, batch * length * width).ToArray();
        Sequences.MergeHeads(y, merged, batch, length, heads, dh, part, parts);
        int wrong = 0;
        for (int e = 0; e < batch; e++)
            for (int t = 0; t < length; t++)
                for (int p = 0; p < parts; p++)
                    for (int h = 0; h < heads; h++)
                        for (int j = 0; j < dh; j++)
                        {
                            int column = (p * heads + h) * dh + j, source = (e * length + t) * width + column;
                            if (p == part && y[((e * heads + h) * length + t) * dh + j] != x[source])
                                wrong++;
                            if (merged[source] != (p == part ? x[source] : 0f))
                                wrong++;
                        }

        Assert.Equal(0, wrong);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.SplitHeads(x, y, batch, length, heads, dh, parts, parts));
    }

    [Theory]
    [InlineData(1024, 128, 256)]
    [InlineData(1023, 129, 61)]
    [InlineData(2001, 17, 5)]
    public void GatherAndScatterAddOfLargeBatchesFollowTheDefinition(int rows, int cols, int count)
    {
        var random = new Random(rows);
        int[] ids = Enumerable.Range(0, rows).Select(_ => random.Next(count)).ToArray();
        float[] table = Values(count * cols, seed: 7, offset: 0f), x = Values(rows * cols, seed: 8, offset: 0f);
        float[] y = new float[rows * cols];
        Sequences.Gather(table, ids, y, rows, cols, count);
        for (int r = 0; r < rows; r++)
            Assert.True(y.AsSpan(r * cols, cols).SequenceEqual(table.AsSpan(ids[r] * cols, cols)), $"Gather row {r}");

        // The sums in row order, element by element: the same float additions whatever the split.
        float[] expected = new float[count * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                expected[ids[r] * cols + c] += x[r * cols + c];
        float[] gradient = Enumerable.Repeat(99f, count * cols).ToArray();
        Sequences.ScatterAdd(ids, x, gradient, rows, cols, count);
        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void TheFirstBadIdIsReportedEvenWhenTheCallWouldBeSplit()
    {
        int[] ids = new int[4096];
        ids[3000] = 9;
        ids[4000] = -1;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.Gather(new float[9 * 64], ids, new float[4096 * 64], 4096, 64, 9));
        Assert.Contains("Token id 9 at row 3000", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.ScatterAdd(ids, new float[4096 * 64], new float[9 * 64], 4096, 64, 9));
        Assert.Contains("Token id 9 at row 3000", error.Message);
    }

    [Fact]
    public void ExpandLastAndTileOfLargeMatricesFollowTheDefinition()
    {
        const int rows = 4097, cols = 19;
        float[] x = Values(rows, seed: 9, offset: 0f), y = new float[rows * cols];
        Sequences.ExpandLast(x, y, rows, cols);
        Assert.True(Enumerable.Range(0, rows * cols).All(i => y[i] == x[i / cols]));
        Sequences.Tile(x, y, rows, cols);
        Assert.True(Enumerable.Range(0, rows * cols).All(i => y[i] == x[i % cols]));
    }

    private static float[] Values(int count, int seed, float offset)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => offset + (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
