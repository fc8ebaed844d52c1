using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// The base of every kernel family's abstract test class. A test computes its result on the
/// device under test through <see cref="Verify"/>, which checks it against a naive double
/// reference on the CPU (the oracle) and against <see cref="CpuKernels"/> on every other device.
/// </summary>
public abstract class KernelContractTests : IDisposable
{
    private KernelHarness? _harness;
    private KernelHarness? _cpu;

    /// <summary>The library under test.</summary>
    protected abstract DeviceKernels Kernels { get; }

    /// <summary>The harness of the device under test.</summary>
    protected KernelHarness Harness => _harness ??= new KernelHarness(Kernels);

    private KernelHarness Cpu => _cpu ??= new KernelHarness(Device.Cpu.Kernels);

    private bool IsOracle => Kernels is CpuKernels;

    /// <summary>
    /// Runs <paramref name="compute"/> on the device under test and checks its floats: on the CPU
    /// against <paramref name="reference"/>, elsewhere against the same computation by
    /// <see cref="CpuKernels"/>; each element within <paramref name="tolerance"/>·(1 + |expected|)
    /// (0: bit for bit, NaN matching NaN), or within <paramref name="toleranceAgainstCpu"/> where given
    /// and the device is not the CPU.
    /// </summary>
    protected void Verify(Func<KernelHarness, float[]> compute, Func<double[]> reference, double tolerance, double? toleranceAgainstCpu = null)
    {
        float[] actual = compute(Harness);
        if (IsOracle)
            AssertClose(reference(), actual, tolerance);
        else
            AssertClose(compute(Cpu).Select(v => (double)v).ToArray(), actual, toleranceAgainstCpu ?? tolerance);
    }

    /// <summary>Checks every element within tolerance·(1 + |expected|); tolerance 0 asks for the float bits.</summary>
    protected static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(float.IsNaN(actual[i]), $"element {i}: expected NaN, got {actual[i]}");
                continue;
            }

            bool ok = tolerance == 0
                ? BitConverter.SingleToInt32Bits((float)expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                : Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i]));
            Assert.True(ok, $"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
        }
    }

    /// <summary>Uniform floats in [-scale, scale), the same for a seed.</summary>
    protected static float[] RandomFloats(int seed, int count, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    /// <summary>Uniform ints in [0, bound), the same for a seed.</summary>
    protected static int[] RandomInts(int seed, int count, int bound)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(bound)).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _harness?.Dispose();
        _cpu?.Dispose();
        GC.SuppressFinalize(this);
    }
}
