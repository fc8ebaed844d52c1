using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>Attention's head movement, split and merge, for every part of a fused projection: bit for bit.</summary>
public abstract class AttentionKernelTests : KernelContractTests
{
    private const int Batch = 2, Length = 5, Heads = 3, HeadWidth = 4, Parts = 3;
    private const int HeadsSize = Batch * Heads * Length * HeadWidth, RowsSize = HeadsSize * Parts;

    [KernelFact]
    public void SplitHeadsTakesOnePart()
    {
        float[] rows = RandomFloats(1, 2 + RowsSize);
        for (int part = 0; part < Parts; part++)
        {
            int p = part;
            Verify(
                h =>
                {
                    var y = h.Zeros(HeadsSize);
                    h.Kernels.SplitHeads(Batch, Length, Heads, HeadWidth, p, Parts, h.Floats(rows).Slice(2), y);
                    return h.Read(y);
                },
                () => Enumerable.Range(0, HeadsSize).Select(z => (double)rows[2 + RowElement(z, p)]).ToArray(),
                0);
        }
    }

    [KernelFact]
    public void MergeHeadsWritesOnePartAndZerosTheOthers()
    {
        float[] heads = RandomFloats(2, HeadsSize);
        for (int part = 0; part < Parts; part++)
        {
            int p = part;
            Verify(
                h =>
                {
                    var y = h.Floats(RandomFloats(3, 1 + RowsSize)); // every element is overwritten
                    h.Kernels.MergeHeads(Batch, Length, Heads, HeadWidth, p, Parts, h.Floats(heads), y.Slice(1));
                    return h.Read(y)[1..];
                },
                () =>
                {
                    var y = new double[RowsSize];
                    for (int z = 0; z < HeadsSize; z++)
                        y[RowElement(z, p)] = heads[z];
                    return y;
                },
                0);
        }
    }

    /// <summary>Where head element z = [e, h, t, j] sits in the rows [e, t, (part·H + h)·dh + j].</summary>
    private static int RowElement(int z, int part)
    {
        int e = z / (Heads * Length * HeadWidth), h = z / (Length * HeadWidth) % Heads, t = z / HeadWidth % Length, j = z % HeadWidth;
        return ((e * Length) + t) * Parts * Heads * HeadWidth + (((part * Heads) + h) * HeadWidth) + j;
    }
}

/// <summary>The CPU's head movement against the reference.</summary>
public sealed class CpuAttentionKernelTests : AttentionKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL head movement against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClAttentionKernelTests(OpenClKernelsFixture fixture) : AttentionKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
