using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>Axis swaps, block copies and the causal mask: they only move floats, so bit for bit.</summary>
public abstract class MovementKernelTests : KernelContractTests
{
    [KernelFact]
    public void SwapAxes()
    {
        const int outer = 2, a = 3, middle = 4, b = 5, inner = 6, count = outer * a * middle * b * inner;
        float[] x = RandomFloats(1, 1 + count);
        Verify(
            h =>
            {
                var y = h.Zeros(count + 2);
                h.Kernels.SwapAxes(outer, a, middle, b, inner, h.Floats(x).Slice(1), y.Slice(2));
                return h.Read(y)[2..];
            },
            () =>
            {
                var y = new double[count];
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < a; i++)
                        for (int m = 0; m < middle; m++)
                            for (int j = 0; j < b; j++)
                                for (int n = 0; n < inner; n++)
                                    y[((((((o * b) + j) * middle) + m) * a + i) * inner) + n] = x[1 + ((((((o * a) + i) * middle) + m) * b + j) * inner) + n];
                return y;
            },
            0);
    }

    /// <summary>Swaps with axes of one (no outer, middle or inner axis) and a middle axis between the swapped ones.</summary>
    [KernelFact]
    public void SwapAxesWithDegenerateAndMiddleAxes()
    {
        int[][] shapes = [[1, 3, 1, 4, 1], [3, 6, 1, 2, 4], [2, 2, 3, 4, 2]];
        foreach (int[] s in shapes)
        {
            int outer = s[0], a = s[1], middle = s[2], b = s[3], inner = s[4], count = outer * a * middle * b * inner;
            float[] x = RandomFloats(5, 3 + count);
            Verify(
                h =>
                {
                    var y = h.Zeros(count + 3);
                    h.Kernels.SwapAxes(outer, a, middle, b, inner, h.Floats(x).Slice(3), y.Slice(3));
                    return h.Read(y)[3..];
                },
                () =>
                {
                    var y = new double[count];
                    for (int o = 0; o < outer; o++)
                        for (int i = 0; i < a; i++)
                            for (int m = 0; m < middle; m++)
                                for (int j = 0; j < b; j++)
                                    for (int n = 0; n < inner; n++)
                                        y[((((((o * b) + j) * middle) + m) * a + i) * inner) + n] = x[3 + ((((((o * a) + i) * middle) + m) * b + j) * inner) + n];
                    return y;
                },
                0);
        }
    }

    /// <summary>
    /// Two copies interleaved into one result, as attention concatenates a batched part (4 blocks of
    /// 3, one source block each) and a shared one (width 1, 2 source blocks repeated) into rows of 4.
    /// </summary>
    [KernelFact]
    public void CopyBlocksInterleaveABatchedAndASharedPart()
    {
        float[] batched = RandomFloats(6, 2 + 12), shared = RandomFloats(7, 2 + 2);
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(8, 2 + 16));
                h.Kernels.CopyBlocks(4, 4, 3, 3, 0, 4, 0, h.Floats(batched).Slice(2), y.Slice(2));
                h.Kernels.CopyBlocks(4, 2, 1, 1, 0, 4, 3, h.Floats(shared).Slice(2), y.Slice(2));
                return h.Read(y)[2..];
            },
            () =>
            {
                var y = new double[16];
                for (int row = 0; row < 4; row++)
                {
                    for (int c = 0; c < 3; c++)
                        y[(row * 4) + c] = batched[2 + (row * 3) + c];
                    y[(row * 4) + 3] = shared[2 + (row % 2)];
                }

                return y;
            },
            0);
    }

    [KernelFact]
    public void CopyBlocksRepeatsTheSourceAndKeepsTheGaps()
    {
        // 6 blocks of 4 from 2 source blocks (stride 5, from 1) to stride 7 (from 2): the rest of y keeps its values.
        const int blocks = 6, sourceBlocks = 2, width = 4, sourceStride = 5, sourceOffset = 1, destinationStride = 7, destinationOffset = 2;
        float[] x = RandomFloats(2, 20), initial = RandomFloats(3, 50);
        Verify(
            h =>
            {
                var y = h.Floats(initial);
                h.Kernels.CopyBlocks(blocks, sourceBlocks, width, sourceStride, sourceOffset, destinationStride, destinationOffset, h.Floats(x).Slice(3), y.Slice(1));
                return h.Read(y);
            },
            () =>
            {
                double[] y = initial.Select(v => (double)v).ToArray();
                for (int k = 0; k < blocks; k++)
                    for (int c = 0; c < width; c++)
                        y[1 + (k * destinationStride) + destinationOffset + c] = x[3 + ((k % sourceBlocks) * sourceStride) + sourceOffset + c];
                return y;
            },
            0);
    }

    [KernelFact]
    public void CausalMask()
    {
        const int n = 9;
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(4, 1 + (n * n)));
                h.Kernels.CausalMask(n, y.Slice(1));
                return h.Read(y)[1..];
            },
            () => Enumerable.Range(0, n * n).Select(i => i % n <= i / n ? 1.0 : 0.0).ToArray(),
            0);
    }
}

/// <summary>The CPU's movement kernels against the reference.</summary>
public sealed class CpuMovementKernelTests : MovementKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL movement kernels against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClMovementKernelTests(OpenClKernelsFixture fixture) : MovementKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
