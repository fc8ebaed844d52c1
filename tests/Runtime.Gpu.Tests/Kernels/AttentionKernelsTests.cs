using System;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>Attention's head movement and causal softmax against their definitions, element by element.</summary>
public sealed class AttentionKernelsTests
{
    [Theory]
    [InlineData(2, 3, 2, 4, 0, 3)]
    [InlineData(2, 3, 2, 4, 2, 3)]
    [InlineData(1, 5, 4, 1, 0, 1)]
    [InlineData(2, 3, 2, 32, 1, 3)] // heads of whole vectors (the GPT's dh)
    [InlineData(2, 3, 3, 21, 2, 3)] // a vector and a remainder per head
    public void SplitHeadsCutsEachHeadOutOfItsPart(int batch, int length, int heads, int dh, int part, int parts)
    {
        int width = parts * heads * dh;
        float[] x = Sequence(batch * length * width);
        var y = new float[batch * heads * length * dh];
        Sequences.SplitHeads(x, y, batch, length, heads, dh, part, parts);
        for (int e = 0; e < batch; e++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < length; t++)
                    for (int j = 0; j < dh; j++)
                        Assert.Equal(x[(e * length + t) * width + (part * heads + h) * dh + j], y[((e * heads + h) * length + t) * dh + j]);
    }

    [Theory]
    [InlineData(2, 3, 2, 4, 1, 3)]
    [InlineData(1, 5, 4, 1, 0, 1)]
    [InlineData(2, 3, 2, 32, 0, 1)]
    [InlineData(2, 3, 3, 21, 1, 3)]
    public void MergeHeadsIsTheTransposeOfSplitHeads(int batch, int length, int heads, int dh, int part, int parts)
    {
        int width = parts * heads * dh;
        float[] x = Sequence(batch * heads * length * dh);
        float[] y = new float[batch * length * width];
        y.AsSpan().Fill(float.NaN);
        Sequences.MergeHeads(x, y, batch, length, heads, dh, part, parts);
        var back = new float[x.Length];
        Sequences.SplitHeads(y, back, batch, length, heads, dh, part, parts);
        Assert.Equal(x, back);
        // Every element outside the part is zero: the heads' values appear once each.
        Assert.Equal(y.Length - x.Length, Array.FindAll(y, v => v == 0).Length);
    }

    [Fact]
    public void CausalSoftmaxNormalisesEachRowOverItsVisibleKeysOnly()
    {
        const int T = 5, blocks = 3;
        var random = new Random(7);
        var x = new float[blocks * T * T];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 20 - 10);
        var y = new float[x.Length];
        Rows.CausalSoftmax(x, y, blocks * T, T);
        for (int r = 0; r < blocks * T; r++)
        {
            int i = r % T;
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j <= i; j++) max = Math.Max(max, x[r * T + j]);
            for (int j = 0; j <= i; j++) sum += Math.Exp(x[r * T + j] - max);
            for (int j = 0; j < T; j++)
            {
                double expected = j <= i ? Math.Exp(x[r * T + j] - max) / sum : 0;
                Assert.True(Math.Abs(y[r * T + j] - expected) <= 1e-6, $"row {r}, key {j}: {y[r * T + j]} vs {expected}");
                if (j > i) Assert.Equal(0f, y[r * T + j]);
            }
        }
    }

    [Fact]
    public void CausalSoftmaxRejectsRowsThatAreNotSquareBlocks()
    {
        var error = Assert.Throws<ArgumentException>(() => Rows.CausalSoftmax(new float[12], new float[12], 3, 4));
        Assert.Contains("3 rows of 4", error.Message);
    }

    private static float[] Sequence(int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = i + 1;
        return values;
    }
}
