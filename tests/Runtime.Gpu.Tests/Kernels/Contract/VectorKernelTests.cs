using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Fill, copy and scale (bit for bit), and the reductions to one float on the device: a mean and a
/// sum of squares over several work-groups' worth of elements, within 1e-5·(1 + |y|) (the device
/// adds in float, the CPU in double), and over none.
/// </summary>
public abstract class VectorKernelTests : KernelContractTests
{
    private const int Count = 10_007;

    [KernelFact]
    public void FillCopyAndScaleTouchOnlyTheirRange()
    {
        float[] x = RandomFloats(1, Count), initial = RandomFloats(2, Count + 4);
        Verify(
            h =>
            {
                var y = h.Floats(initial);
                h.Kernels.Fill(Count, 0.75f, y.Slice(2));
                return h.Read(y);
            },
            () => initial.Select((v, i) => i >= 2 && i < Count + 2 ? 0.75 : v).ToArray(),
            0);
        Verify(
            h =>
            {
                var y = h.Floats(initial);
                h.Kernels.Copy(Count - 1, h.Floats(x).Slice(1), y.Slice(2));
                return h.Read(y);
            },
            () => initial.Select((v, i) => i >= 2 && i < Count + 1 ? x[i - 1] : (double)v).ToArray(),
            0);
        Verify(
            h =>
            {
                var y = h.Floats(x);
                h.Kernels.Scale(Count, -2.5f, y, y); // in place
                return h.Read(y);
            },
            () => x.Select(v => (double)(-2.5f * v)).ToArray(),
            0);
    }

    [KernelFact]
    public void MeanAndSumOfSquaresReduceToOneFloat()
    {
        // Around 1, so that the mean is far from 0 and a relative error shows.
        float[] x = RandomFloats(3, 3 + Count).Select(v => v + 1f).ToArray();
        Verify(
            h =>
            {
                var result = h.Floats([7f, 7f, 7f]);
                h.Kernels.Mean(Count, h.Floats(x).Slice(3), result.Slice(1));
                return h.Read(result);
            },
            () => [7, x.Skip(3).Average(v => (double)v), 7],
            1e-5);
        Verify(
            h =>
            {
                var result = h.Zeros(1);
                h.Kernels.SumOfSquares(Count, h.Floats(x).Slice(3), result);
                return h.Read(result);
            },
            () => [x.Skip(3).Sum(v => (double)v * v)],
            1e-5);
    }

    [KernelFact]
    public void ReductionsOfNothing()
    {
        Verify(
            h =>
            {
                var result = h.Zeros(2);
                h.Kernels.Mean(0, h.Zeros(0), result);
                h.Kernels.SumOfSquares(0, h.Zeros(0), result.Slice(1));
                return h.Read(result);
            },
            () => [double.NaN, 0],
            0);
    }
}

/// <summary>The CPU's vector kernels against the double reference.</summary>
public sealed class CpuVectorKernelTests : VectorKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL vector kernels against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClVectorKernelTests(OpenClKernelsFixture fixture) : VectorKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
