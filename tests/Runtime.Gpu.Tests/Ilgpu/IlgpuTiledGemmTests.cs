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

    [Fact]
    public void ATilingThatDoesNotFitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlgpuKernels(fixture.Device, (6, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IlgpuKernels(fixture.Device, (4096, 1)));
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
