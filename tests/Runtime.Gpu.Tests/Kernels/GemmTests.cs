using System;
using System.Collections.Generic;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class GemmTests
{
    public static IEnumerable<object[]> Shapes()
    {
        // Odd sizes around the micro-tile (8x32 / 6x16) and depth block (KC: 128 to 256) edges, plus
        // degenerate vectors; each in all four transpose combinations.
        int[][] shapes =
        [
            [1, 1, 1], [1, 7, 3], [5, 1, 9], [3, 5, 1], [2, 33, 17], [7, 16, 10], [32, 16, 10],
            [8, 32, 64], [9, 33, 65], [13, 31, 129], [17, 47, 33], [31, 65, 7], [64, 64, 64],
            [65, 97, 31], [100, 3, 130], [127, 129, 5], [130, 17, 257], [33, 130, 300],
            // Dense-layer shapes of the benchmarked models: weight gradients, a 2-wide output, batch-1 layers.
            [16, 10, 100], [100, 2, 16], [1, 128, 784], [2, 10, 128], [3, 20, 4100],
            // More rows than one packed block of A (MCPack = 1024, not a multiple of the AVX2 tile's 6).
            [1030, 40, 20],
        ];
        foreach (int[] s in shapes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                    yield return [s[0], s[1], s[2], ta, tb];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoubleReference(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m * 1000003 + n * 1009 + k);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n);
        float[] expected = Reference(transposeA, transposeB, m, n, k, a, b, null);

        float[] c = RandomArray(random, m * n); // garbage that must be overwritten
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c);
        AssertClose(expected, c, k);

        float[] initial = RandomArray(random, m * n);
        float[] accumulated = (float[])initial.Clone();
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, accumulated, accumulate: true);
        AssertClose(Reference(transposeA, transposeB, m, n, k, a, b, initial), accumulated, k);
    }

    [Theory]
    [InlineData(203, 291, 533, false, false)]
    [InlineData(203, 291, 533, false, true)]
    [InlineData(203, 291, 533, true, false)]
    [InlineData(203, 291, 533, true, true)]
    // Two micro-panels of columns: the task grid also splits rows, over two MC row rounds, with a
    // partial last A micro-panel in the second.
    [InlineData(1030, 40, 300, false, false)]
    [InlineData(1030, 40, 300, true, true)]
    public void LargeParallelProductMatchesReference(int m, int n, int k, bool transposeA, bool transposeB)
    {
        // Big enough to be split across cores and to span several KC blocks and ragged edges.
        var random = new Random(7);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c = new float[m * n];
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c);
        AssertClose(Reference(transposeA, transposeB, m, n, k, a, b, null), c, k);
    }

    [Theory]
    [InlineData(141, 2049, 1031, false, false)]
    [InlineData(141, 2049, 1031, false, true)]
    [InlineData(1030, 2049, 260, true, false)]
    [InlineData(1030, 2049, 260, true, true)]
    public void LongWideProductWithPackedARowBlocksMatchesReference(int m, int n, int k, bool transposeA, bool transposeB)
    {
        // A packed row block by row block (Gemm.PacksA): what the kernel would read in place is at
        // least 1024 floats apart (k for A, m for Aᵀ), and 65 column micro-panels give every task
        // at least eight however many cores split them. Edges: 141 rows are a 128-row block and a
        // ragged one whose last micro-panel has 5 rows; the last column panel has one column; the
        // depth is several blocks, the last not full.
        var random = new Random(m + n + k);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c = RandomArray(random, m * n);
        float[] initial = (float[])c.Clone();
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate: true);
        AssertClose(Reference(transposeA, transposeB, m, n, k, a, b, initial), c, k);
    }

    [Fact]
    public void ProductWiderThanOnePackedPanelMatchesReference()
    {
        // n > NC (4096) and m > MCPack (1024) exercise the outer jc and ic loops.
        const int m = 1030, n = 4100, k = 3;
        var random = new Random(11);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, b, c);
        AssertClose(Reference(false, false, m, n, k, a, b, null), c, k);
    }

    [Fact]
    public void LongerSpansAreAllowedAndTheExcessIsUntouched()
    {
        float[] a = [1, 2, 3, 4, 99], b = [5, 6, 7, 8, 99], c = [0, 0, 0, 0, -1, -1];
        Gemm.Multiply(false, false, 2, 2, 2, a, b, c);
        Assert.Equal(new float[] { 19, 22, 43, 50, -1, -1 }, c);
    }

    [Fact]
    public void EmptyDepthClearsOrKeepsC()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(false, false, 2, 2, 0, [], [], c, accumulate: true);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, [], [], c);
        Assert.Equal(new float[4], c);
    }

    [Fact]
    public void ShortSpansThrowWithTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, false, 3, 4, 5, new float[14], new float[20], new float[12]));
        Assert.Equal("a", error.ParamName);
        Assert.Contains("A is stored 5x3 (15 floats) but the span has 14", error.Message);

        error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 3, 4, 5, new float[15], new float[20], new float[11]));
        Assert.Equal("c", error.ParamName);
        Assert.Contains("C is stored 3x4 (12 floats)", error.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 4, 5, new float[15], new float[20], new float[12]));
    }

    internal static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>The textbook triple loop in double.</summary>
    private static float[] Reference(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[]? initial)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = initial?[i * n + j] ?? 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = (float)sum;
            }
        }

        return c;
    }

    private static void AssertClose(float[] expected, float[] actual, int k)
    {
        // Inputs lie in [-1, 1], so float rounding over k terms stays well under 1e-6·k.
        double tolerance = 1e-5 + 1e-6 * k;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                Assert.Fail($"Element {i}: expected {expected[i]} but got {actual[i]} (tolerance {tolerance}).");
        }
    }
}
