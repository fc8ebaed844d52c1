using System;
using System.Collections.Generic;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.MultiplyBatched"/> against a double-precision product per (example, leading
/// index): every transpose pair, operands per example or shared (stride 0), products small
/// enough to run inline and enough of them to be split over the cores, and one product large
/// enough for the blocked path.
/// </summary>
public sealed class GemmBatchedTests
{
    public static IEnumerable<object[]> Cases()
    {
        // batch, count, m, n, k, A per example, A per leading index, B per example, B per leading index
        int[][] shapes =
        [
            [1, 1, 3, 4, 5, 1, 1, 1, 1], [3, 2, 8, 8, 4, 1, 1, 1, 1], [4, 4, 17, 17, 8, 1, 1, 1, 1],
            [2, 3, 5, 7, 9, 1, 1, 0, 0], [2, 3, 5, 7, 9, 0, 1, 1, 1], [5, 1, 6, 3, 2, 1, 0, 0, 0],
            [16, 4, 32, 32, 16, 1, 1, 1, 1], [2, 2, 70, 80, 90, 1, 1, 1, 1],
        ];
        foreach (int[] s in shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return [s, ta, tb];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachProductMatchesADoubleReference(int[] s, bool transposeA, bool transposeB)
    {
        int batch = s[0], count = s[1], m = s[2], n = s[3], k = s[4];
        int aStride = s[6] * m * k, aBatchStride = s[5] * (s[6] == 1 ? count : 1) * m * k;
        int bStride = s[8] * k * n, bBatchStride = s[7] * (s[8] == 1 ? count : 1) * k * n;
        var random = new Random(batch * 7919 + count * 104729 + m * 31 + n * 17 + k);
        float[] a = Random(random, (batch - 1) * aBatchStride + (count - 1) * aStride + m * k);
        float[] b = Random(random, (batch - 1) * bBatchStride + (count - 1) * bStride + k * n);
        var c = new float[batch * count * m * n + 3];
        c.AsSpan().Fill(float.NaN);

        Gemm.MultiplyBatched(transposeA, transposeB, batch, count, m, n, k, a, aBatchStride, aStride, b, bBatchStride, bStride, c);

        Assert.True(float.IsNaN(c[^1]), "C was written past its end");
        for (int e = 0; e < batch; e++)
            for (int l = 0; l < count; l++)
            {
                int ao = e * aBatchStride + l * aStride, bo = e * bBatchStride + l * bStride, co = (e * count + l) * m * n;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double term = (double)a[ao + (transposeA ? p * m + i : i * k + p)] * b[bo + (transposeB ? j * k + p : p * n + j)];
                            sum += term;
                            magnitude += Math.Abs(term);
                        }
                        Assert.True(Math.Abs(c[co + i * n + j] - sum) <= 1e-5 * magnitude + 1e-7,
                            $"product ({e}, {l}) C[{i}, {j}] = {c[co + i * n + j]}, expected {sum}");
                    }
            }
    }

    [Fact]
    public void AShortOperandIsRejectedWithItsSizes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.MultiplyBatched(false, false, 2, 3, 4, 4, 4, new float[40], 48, 16, new float[16], 0, 0, new float[96]));
        Assert.Contains("A needs 96 floats", error.Message);
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
