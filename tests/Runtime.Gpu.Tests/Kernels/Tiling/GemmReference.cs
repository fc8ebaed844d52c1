using System;
using System.Linq;
using Dsl.Tests.Kernels.Contract;
using Xunit;

namespace Dsl.Tests.Kernels.Tiling;

/// <summary>The GEMM tiling tests' operands and their double-precision check.</summary>
internal static class GemmReference
{
    /// <summary>Uniform floats in [-1, 1).</summary>
    public static float[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    /// <summary>A buffer holding NaN in its first <paramref name="offset"/> elements, then <paramref name="values"/>: a read before the offset poisons the result.</summary>
    public static DeviceBuffer Upload(KernelHarness harness, float[] values, int offset) =>
        harness.Floats(Enumerable.Repeat(float.NaN, offset).Concat(values).ToArray());

    /// <summary>Checks that the elements before <paramref name="offset"/> and after the <paramref name="length"/> result elements still hold <paramref name="untouched"/>.</summary>
    public static void AssertUntouched(float[] c, int offset, int length, float untouched, string what)
    {
        for (int i = 0; i < c.Length; i++)
        {
            if (i < offset || i >= offset + length)
                Assert.True(c[i] == untouched, $"{what}: element {i} outside the result was overwritten with {c[i]}");
        }
    }

    /// <summary>
    /// Checks C (from <paramref name="co"/>) = op(A)·op(B), A and B read from <paramref name="ao"/> and
    /// <paramref name="bo"/>, each element within 1e-5 of the sum of its terms' magnitudes (float sums
    /// of k terms: a few ulps of that, far below any indexing error), plus 1e-7 for sums that cancel.
    /// </summary>
    public static void AssertProduct(float[] c, int co, bool ta, bool tb, int m, int n, int k, float[] a, int ao, float[] b, int bo, string what)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[ao + (ta ? (p * m) + i : (i * k) + p)] * b[bo + (tb ? (j * k) + p : (p * n) + j)];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                double actual = c[co + (i * n) + j];
                Assert.True(
                    Math.Abs(actual - sum) <= (1e-5 * magnitude) + 1e-7,
                    $"{what}: C[{i}, {j}] = {actual}, expected {sum} (sum of |terms| {magnitude})");
            }
        }
    }
}
