using System;
using System.Collections.Concurrent;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// The generator runs non-exact ops (GELU's Φ) in a GEMM epilogue only when the product's rows are
/// whole vectors (<c>Fusion/GemmEpilogues</c>): then the generated epilogue, which does 8 columns
/// at a time from the block's first column, and the plain loop, which does 8 at a time from the
/// row's start, compute every element in the same vector form. That holds while every block a
/// product with n a multiple of 8 hands out starts and ends at a multiple of 8.
/// </summary>
public sealed class GemmEpilogueColumnsTests
{
    [Theory]
    [InlineData(1024, 512, 128, false, true)] // the GPT's up projection
    [InlineData(1024, 128, 512, false, true)] // and its down projection
    [InlineData(1024, 384, 128, false, true)]
    [InlineData(16, 96, 32, false, true)]
    [InlineData(203, 2056, 533, false, true)]
    [InlineData(141, 4104, 1031, false, true)] // several column blocks, A packed
    [InlineData(300, 40, 77, true, false)]
    [InlineData(5, 8, 3, false, false)]
    public void BlocksOfAProductOfWholeVectorRowsStartAndEndAtAMultipleOf8(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + n + k);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble();
        for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble();
        var misaligned = new ConcurrentBag<(int, int)>();
        int blocks = 0;
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, epilogue: (rowStart, rowEnd, columnStart, columnEnd) =>
        {
            System.Threading.Interlocked.Increment(ref blocks);
            if (columnStart % 8 != 0 || columnEnd % 8 != 0)
                misaligned.Add((columnStart, columnEnd));
        });
        Assert.True(blocks > 0);
        Assert.Empty(misaligned);
    }
}
