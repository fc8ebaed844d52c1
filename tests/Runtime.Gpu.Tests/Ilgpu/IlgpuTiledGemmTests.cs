using System;
using Dsl.Tests.Kernels.Contract;
using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// The ILGPU tiled GEMM at tilings other than the device's, so that the tile and block sizes a GPU
/// picks are checked here too: every layout against the CPU's GEMM, on shapes that leave partial tiles.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuTiledGemmTests(IlgpuKernelsFixture fixture)
{
    [Theory]
    [InlineData(4, 1)]
    [InlineData(8, 2)]
    [InlineData(16, 4)]
    public void EveryTilingMatchesTheCpu(int tile, int block)
    {
        var kernels = new IlgpuKernels(fixture.Device, (tile, block));
        try
        {
            const int m = 19, n = 13, k = 21;
            var random = new Random(tile);
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble() - 0.5f;
            for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble() - 0.5f;
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    float[] expected = Product(new KernelHarness(Device.Cpu.Kernels), ta, tb, m, n, k, a, b);
                    float[] actual = Product(new KernelHarness(kernels), ta, tb, m, n, k, a, b);
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * (1 + Math.Abs(expected[i])), $"tiling {tile}/{block}, layout {ta}/{tb}, element {i}: {expected[i]} vs {actual[i]}");
                }
            }
        }
        finally
        {
            kernels.Dispose();
        }
    }

    /// <summary>
    /// Batched products: the launch's bounded grid takes the tiles of every product in turn
    /// (on the CPU accelerator one group takes them all), so each C is written whole, and only its own.
    /// </summary>
    [Theory]
    [InlineData(4, 1)]
    [InlineData(8, 2)]
    public void BatchedProductsCoverEveryTileOfEveryProduct(int tile, int block)
    {
        var kernels = new IlgpuKernels(fixture.Device, (tile, block));
        try
        {
            const int batch = 2, count = 3, m = 19, n = 13, k = 21;
            var random = new Random(tile + 100);
            float[] a = new float[batch * count * m * k], b = new float[batch * k * n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble() - 0.5f;
            for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble() - 0.5f;
            float[] expected = BatchedProduct(new KernelHarness(Device.Cpu.Kernels), batch, count, m, n, k, a, b);
            float[] actual = BatchedProduct(new KernelHarness(kernels), batch, count, m, n, k, a, b);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * (1 + Math.Abs(expected[i])), $"tiling {tile}/{block}, element {i}: {expected[i]} vs {actual[i]}");
        }
        finally
        {
            kernels.Dispose();
        }
    }

    [Fact]
    public void ATilingThatDoesNotFitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlgpuKernels(fixture.Device, (6, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlgpuKernels(fixture.Device, (4096, 1)));
        // A block with no register-block instantiation (IlgpuTiledKernelSet: 1, 2 or 4), though its threads would fit.
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlgpuKernels(fixture.Device, (16, 8)));
    }

    /// <summary>C[e, l] = A[e, l]·B[e] for each example e and leading index l (B shared by an example's products).</summary>
    private static float[] BatchedProduct(KernelHarness harness, int batch, int count, int m, int n, int k, float[] a, float[] b)
    {
        using (harness)
        {
            DeviceBuffer c = harness.Zeros(batch * count * m * n);
            harness.Kernels.BatchedGemm(false, false, batch, count, m, n, k, harness.Floats(a), count * m * k, m * k, harness.Floats(b), k * n, 0, c);
            return harness.Read(c);
        }
    }

    private static float[] Product(KernelHarness harness, bool ta, bool tb, int m, int n, int k, float[] a, float[] b)
    {
        using (harness)
        {
            DeviceBuffer c = harness.Zeros(m * n);
            harness.Kernels.Gemm(ta, tb, m, n, k, harness.Floats(a), harness.Floats(b), c);
            return harness.Read(c);
        }
    }
}
