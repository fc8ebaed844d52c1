using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>The movement kernels against index arithmetic written out per element, and their span checks.</summary>
public sealed class MovementTests
{
    [Theory]
    [InlineData(1, 3, 1, 4, 1)]   // a matrix transpose
    [InlineData(2, 3, 1, 4, 5)]   // [B, T, H, d] → [B, H, T, d]
    [InlineData(2, 2, 3, 4, 2)]   // non-adjacent axes with a middle
    [InlineData(3, 37, 2, 19, 1)] // single floats in tiles cut short on both sides, with a middle
    [InlineData(4, 1024, 1, 16, 1)] // a convolution's [positions, channels] to channels first, split over the cores
    public void SwapAxesMovesEveryElementToItsSwappedIndex(int outer, int a, int middle, int b, int inner)
    {
        int size = outer * a * middle * b * inner;
        float[] x = Enumerable.Range(0, size).Select(i => (float)i).ToArray();
        var y = new float[size];
        Movement.SwapAxes(x, y, outer, a, middle, b, inner);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < a; i++)
                for (int m = 0; m < middle; m++)
                    for (int j = 0; j < b; j++)
                        for (int n = 0; n < inner; n++)
                            Assert.Equal(x[((((o * a + i) * middle + m) * b + j) * inner) + n], y[((((o * b + j) * middle + m) * a + i) * inner) + n]);
        // Swapping back is the identity.
        var back = new float[size];
        Movement.SwapAxes(y, back, outer, b, middle, a, inner);
        Assert.Equal(x, back);
    }

    [Fact]
    public void CopyBlocksPlacesConcatPartsAndRepeatsAnUnbatchedOne()
    {
        // Two examples of [2, 3] joined on the last axis with one shared [2, 1] part: rows of 4.
        float[] batched = Enumerable.Range(1, 12).Select(i => (float)i).ToArray();
        float[] shared = { 100, 200 };
        var y = new float[16];
        Movement.CopyBlocks(batched, y, 4, 4, 3, 3, 0, 4, 0);
        Movement.CopyBlocks(shared, y, 4, 2, 1, 1, 0, 4, 3);
        Assert.Equal(new float[] { 1, 2, 3, 100, 4, 5, 6, 200, 7, 8, 9, 100, 10, 11, 12, 200 }, y);

        // A slice back out of the rows: columns [1, 3).
        var slice = new float[8];
        Movement.CopyBlocks(y, slice, 4, 4, 2, 4, 1, 2, 0);
        Assert.Equal(new float[] { 2, 3, 5, 6, 8, 9, 11, 12 }, slice);
    }

    [Fact]
    public void CausalMaskIsOnesOnAndBelowTheDiagonal()
    {
        var y = Enumerable.Repeat(7f, 16).ToArray();
        Movement.CausalMask(y, 4);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(j <= i ? 1f : 0f, y[i * 4 + j]);
    }

    [Fact]
    public void ShortSpansAreRefusedNamingTheSpan()
    {
        var error = Assert.Throws<ArgumentException>(() => Movement.SwapAxes(new float[5], new float[6], 1, 2, 1, 3, 1));
        Assert.Equal("x", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Movement.CopyBlocks(new float[6], new float[6], 2, 2, 3, 3, 0, 4, 0));
        Assert.Equal("y", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Movement.CausalMask(new float[8], 3));
        Assert.Contains("the counts need 9", error.Message);
    }
}
