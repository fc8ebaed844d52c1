using System;
using Dsl.Testing;
using Dsl.Tests.Kernels.Contract;
using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// A CUDA device itself (the GPU machine only: skipped with the reason elsewhere, failed there
/// when <c>DSL_REQUIRE_CUDA=1</c>): the default device, its name with the GEMM library, TF32 off
/// unless asked for, and cuBLAS at a size the contract tests do not reach.
/// </summary>
[Collection(CudaCollection.Name)]
public sealed class CudaDeviceTests(CudaKernelsFixture fixture)
{
    [CudaFact]
    public void TheDefaultDeviceIsCudaAndNamesItsGemmLibrary()
    {
        Assert.Equal(DeviceKind.Cuda, Device.Default.Kind);
        Assert.Contains("cuBLAS", Device.Default.Name);
        Assert.True(fixture.Device.UsesCuBlas);
        Assert.Equal(DeviceKind.Cuda, fixture.Device.Kind);
    }

    [CudaFact]
    public void Tf32IsOffUnlessAskedForAndTheNameSaysSo()
    {
        Assert.False(fixture.Device.Options.AllowTf32);
        Assert.DoesNotContain("TF32", fixture.Device.Name);
        using IlgpuDevice tf32 = Device.Cuda(0, new IlgpuDeviceOptions { AllowTf32 = true });
        Assert.Contains("TF32 allowed", tf32.Name);
    }

    /// <summary>
    /// With TF32 off, a product over k = 1024 stays within float32 rounding of the CPU's: 1e-4·(1 + |c|),
    /// where TF32's 10-bit inputs would be off by about 3e-3 at these sizes.
    /// </summary>
    [CudaFact]
    public void CuBlasMatchesTheCpuInFloat32AtSize()
    {
        const int m = 96, n = 80, k = 1024;
        var random = new Random(7);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble() - 0.5f;
        float[] expected = Product(new KernelHarness(Device.Cpu.Kernels), m, n, k, a, b);
        float[] actual = Product(new KernelHarness(fixture.Device.Kernels), m, n, k, a, b);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
    }

    private static float[] Product(KernelHarness harness, int m, int n, int k, float[] a, float[] b)
    {
        using (harness)
        {
            DeviceBuffer c = harness.Zeros(m * n);
            harness.Kernels.Gemm(false, true, m, n, k, harness.Floats(a), harness.Floats(b), c);
            return harness.Read(c);
        }
    }
}
