using System;
using System.Threading;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class GemmEpilogueTests
{
    /// <summary>
    /// Shapes for each path: the small row form, the dot form, one blocked task, and blocked
    /// products split over the cores with partial tiles, several depth blocks and two row rounds.
    /// </summary>
    [Theory]
    [InlineData(3, 10, 7, false, false)]
    [InlineData(1, 128, 784, false, true)]
    [InlineData(64, 64, 64, false, true)]
    [InlineData(203, 291, 533, false, true)]
    [InlineData(203, 291, 533, true, false)]
    [InlineData(1030, 40, 300, false, false)]
    [InlineData(141, 2049, 1031, false, true)] // A packed row block by row block (Gemm.PacksA)
    [InlineData(1030, 300, 520, true, false)] // on up to four threads, one shared packed B (Gemm.SharedPanels.cs)
    public void EveryElementIsHandedOnOnceWithItsFinalValue(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + n + k);
        float[] a = Random(random, m * k), b = Random(random, k * n), c = new float[m * n];
        float[] expected = new float[m * n];
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, expected);

        // The epilogue checks each block against the plain product, counts each element, and
        // applies relu(x + 1) in place, as a generated bias-and-activation epilogue would.
        int[] seen = new int[m * n];
        int mismatches = 0;
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, epilogue: (rowStart, rowEnd, columnStart, columnEnd) =>
        {
            for (int i = rowStart; i < rowEnd; i++)
            {
                for (int j = columnStart; j < columnEnd; j++)
                {
                    int at = i * n + j;
                    Interlocked.Increment(ref seen[at]);
                    if (c[at] != expected[at])
                        Interlocked.Increment(ref mismatches);
                    c[at] = Math.Max(c[at] + 1f, 0f);
                }
            }
        });

        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(0, mismatches);
        for (int i = 0; i < c.Length; i++)
            Assert.Equal(Math.Max(expected[i] + 1f, 0f), c[i]);
    }

    [Fact]
    public void AnEmptyDepthStillHandsOnTheClearedProduct()
    {
        float[] c = [5f, 6f];
        int calls = 0;
        Gemm.Multiply(false, false, 1, 2, 0, [], [], c, epilogue: (r0, r1, c0, c1) => calls += (r1 - r0) * (c1 - c0));
        Assert.Equal(2, calls);
        Assert.Equal([0f, 0f], c);
    }

    private static float[] Random(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
