using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// An embedding's lookup (bit for bit) and its gradient with repeated ids (scatter-add's float sums
/// within 1e-6·(1 + |y|) of the double reference and of the CPU's).
/// </summary>
public abstract class GatherScatterKernelTests : KernelContractTests
{
    private const int Rows = 17, Cols = 9, Count = 6;

    [KernelFact]
    public void GatherLooksUpRows()
    {
        float[] table = RandomFloats(1, 4 + (Count * Cols));
        int[] ids = RandomInts(2, Rows, Count);
        Verify(
            h =>
            {
                var y = h.Zeros(Rows * Cols);
                h.Kernels.Gather(Rows, Cols, Count, h.Floats(table).Slice(4), h.Ints(ids), y);
                return h.Read(y);
            },
            () =>
            {
                var y = new double[Rows * Cols];
                for (int r = 0; r < Rows; r++)
                    for (int c = 0; c < Cols; c++)
                        y[(r * Cols) + c] = table[4 + (ids[r] * Cols) + c];
                return y;
            },
            0);
    }

    [KernelFact]
    public void ScatterAddSumsRepeatedIdsAndZerosTheRest()
    {
        float[] x = RandomFloats(3, Rows * Cols);
        int[] ids = RandomInts(4, Rows, Count - 1); // the last table row gets no id: it must become zero
        Verify(
            h =>
            {
                var table = h.Floats(RandomFloats(5, 1 + (Count * Cols)));
                h.Kernels.ScatterAdd(Rows, Cols, Count, h.Ints(ids), h.Floats(x), table.Slice(1));
                return h.Read(table)[1..];
            },
            () =>
            {
                var table = new double[Count * Cols];
                for (int r = 0; r < Rows; r++)
                    for (int c = 0; c < Cols; c++)
                        table[(ids[r] * Cols) + c] += x[(r * Cols) + c];
                return table;
            },
            1e-6);
    }
}

/// <summary>The CPU's gather and scatter against the reference.</summary>
public sealed class CpuGatherScatterKernelTests : GatherScatterKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL gather and scatter against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGatherScatterKernelTests(OpenClKernelsFixture fixture) : GatherScatterKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
