using System;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

[CollectionDefinition(nameof(GemmThreadCountTests), DisableParallelization = true)]
public sealed class GemmThreadCountCollection
{
}

/// <summary>
/// A product's C does not depend on how many threads compute it: the depth blocks, which alone set
/// the summation order, come from the depth and the caches, never from the thread count. Runs alone
/// because it lowers <see cref="CpuParallel.MaxConcurrency"/> for a moment.
/// </summary>
[Collection(nameof(GemmThreadCountTests))]
public sealed class GemmThreadCountTests
{
    [Theory]
    // Aᵀ with 1030 rows: A is packed, and up to four threads share one packed B (Gemm.SharedPanels.cs);
    // the depth is two blocks where KC is 512, three where it is 256.
    [InlineData(1030, 300, 520, true, false)]
    [InlineData(1030, 300, 520, true, true)]
    // Rows 1031 floats long: packed A with an untransposed A; a ragged last row block and column panel.
    [InlineData(600, 333, 1031, false, false)]
    // Below the packing thresholds: the per-task grid.
    [InlineData(203, 291, 533, false, true)]
    public void OneThreadAndAllThreadsGiveTheSameBits(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + n + k);
        float[] a = GemmTests.RandomArray(random, m * k), b = GemmTests.RandomArray(random, k * n);
        float[] initial = GemmTests.RandomArray(random, m * n);
        float[] all = (float[])initial.Clone(), one = (float[])initial.Clone();

        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, all, accumulate: true);
        int threads = CpuParallel.MaxConcurrency;
        CpuParallel.MaxConcurrency = 1;
        try
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, one, accumulate: true);
        }
        finally
        {
            CpuParallel.MaxConcurrency = threads;
        }

        for (int i = 0; i < one.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(all[i]))
                Assert.Fail($"Element {i}: {one[i]:R} on one thread, {all[i]:R} on {threads}.");
        }
    }
}
