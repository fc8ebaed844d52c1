using System.Linq;
using Dsl.Kernels;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Dropout: the Philox keep test of every stream position, bit for bit, from a start that is not a
/// multiple of four and whose positions cross 2^32 (the counter's high word).
/// </summary>
public abstract class DropoutKernelContractTests : KernelContractTests
{
    private const int Count = 999;
    private const ulong Seed = 0x0123_4567_89AB_CDEFUL, Start = (1UL << 32) - 7;
    private const uint Site = 3, Step = 41;

    [KernelFact]
    public void DropsTheSameElementsAsThePhiloxStream()
    {
        float[] x = RandomFloats(1, 2 + Count);
        foreach (float p in new[] { 0f, 0.1f, 0.5f })
        {
            float drop = p;
            Verify(
                h =>
                {
                    var y = h.Zeros(Count);
                    h.Kernels.Dropout(Count, Seed, Site, Step, Start, drop, h.Floats(x).Slice(2), y);
                    return h.Read(y);
                },
                () =>
                {
                    uint threshold = DropoutKernels.Threshold(drop);
                    float scale = DropoutKernels.Scale(drop);
                    return Enumerable.Range(0, Count)
                        .Select(i => DropoutKernels.Keeps(Seed, Site, Step, Start + (ulong)i, threshold) ? (double)(x[2 + i] * scale) : 0.0)
                        .ToArray();
                },
                0);
        }
    }
}

/// <summary>The CPU's dropout against the keep test element by element.</summary>
public sealed class CpuDropoutKernelContractTests : DropoutKernelContractTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL dropout against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClDropoutKernelContractTests(OpenClKernelsFixture fixture) : DropoutKernelContractTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
