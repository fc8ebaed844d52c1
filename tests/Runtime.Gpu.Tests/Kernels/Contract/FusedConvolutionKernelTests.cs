using System;
using Dsl.Kernels;
using Dsl.Tests.Ilgpu;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// The fused convolution (issue 19): the forward pass, its input gradient and its
/// weight gradient against direct double sums over every (example, output channel, position, tap),
/// on a geometry with stride, padding and dilation different along each axis and on a padded 3×3
/// one large enough for the CPU to split the batch over its cores, from and to offsets into the buffers.
/// </summary>
public abstract class FusedConvolutionKernelTests : KernelContractTests
{
    /// <summary>A batch, image, window and output channel count.</summary>
    public sealed record Case(int Batch, int C, int H, int W, int Kh, int Kw, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw, int O)
    {
        public int Oh => ((H + (2 * Ph) - (Dh * (Kh - 1)) - 1) / Sh) + 1;

        public int Ow => ((W + (2 * Pw) - (Dw * (Kw - 1)) - 1) / Sw) + 1;

        public int Taps => C * Kh * Kw;

        public int ImageSize => Batch * C * H * W;

        public int WeightSize => O * Taps;

        public int OutputSize => Batch * O * Oh * Ow;

        /// <summary>Calls <paramref name="visit"/>(pixel, weight, output) for every tap of every output that reads a pixel (not the padding).</summary>
        public void ForEachProduct(Action<int, int, int> visit)
        {
            for (int e = 0; e < Batch; e++)
                for (int o = 0; o < O; o++)
                    for (int p = 0; p < Oh * Ow; p++)
                        for (int c = 0; c < C; c++)
                            for (int i = 0; i < Kh; i++)
                                for (int j = 0; j < Kw; j++)
                                {
                                    int y = (p / Ow * Sh) - Ph + (i * Dh), x = (p % Ow * Sw) - Pw + (j * Dw);
                                    if (y < 0 || y >= H || x < 0 || x >= W) continue;
                                    visit((((e * C) + c) * H + y) * W + x, (o * Taps) + (((c * Kh) + i) * Kw) + j, (((e * O) + o) * Oh * Ow) + p);
                                }
        }
    }

    // 3x2 kernel, stride 2x1, padding 1x0, dilation 1x2, over [3, 2, 5, 6], 4 out; and 3x3 padding 1 over [9, 4, 12, 12], 8 out.
    // Then the tiled device kernels' edges: no size a multiple of a tile (16 deep,
    // 8 to 64 wide, rows of 1 to 16 blocks), a Conv1d ([C, 1, L], 1x5 stride 2 padding 2), one input
    // channel at stride 2, dilation 2 and padding 2, three input channels into 17, and 70 output
    // channels (two row tiles at any tiling) from a 2x3 window at stride 2x1. The larger 3x3 case's
    // weight gradient sums 1296 terms, which the tiled kernels cut into 5 slices added in order.
    private static readonly Case[] s_cases =
    [
        new(3, 2, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 4),
        new(9, 4, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 8),
        new(2, 3, 1, 37, 1, 5, 1, 2, 0, 2, 1, 1, 5),
        new(2, 1, 11, 9, 3, 3, 2, 2, 2, 2, 2, 2, 3),
        new(3, 3, 10, 7, 3, 3, 1, 1, 1, 1, 1, 1, 17),
        new(2, 2, 9, 8, 2, 3, 2, 1, 0, 1, 1, 1, 70),
    ];

    [KernelFact]
    public void ForwardSumsEveryTapOfEveryPosition()
    {
        foreach (Case s in s_cases)
            VerifyForward(s);
    }

    private void VerifyForward(Case s)
    {
        float[] image = RandomFloats(1, 3 + s.ImageSize), weight = RandomFloats(2, 1 + s.WeightSize);
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(3, 2 + s.OutputSize)); // garbage the kernel must overwrite
                h.Kernels.ConvolutionForward(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O,
                    h.Floats(image).Slice(3), h.Floats(weight).Slice(1), y.Slice(2));
                return h.Read(y)[2..];
            },
            () =>
            {
                var y = new double[s.OutputSize];
                s.ForEachProduct((pixel, w, output) => y[output] += (double)weight[1 + w] * image[3 + pixel]);
                return y;
            },
            1e-5);
    }

    [KernelFact]
    public void InputGradientAddsEveryProductBackIntoItsPixel()
    {
        foreach (Case s in s_cases)
            VerifyInputGradient(s);
    }

    private void VerifyInputGradient(Case s)
    {
        float[] dy = RandomFloats(4, 1 + s.OutputSize), weight = RandomFloats(5, 2 + s.WeightSize);
        Verify(
            h =>
            {
                var dx = h.Floats(RandomFloats(6, 5 + s.ImageSize));
                h.Kernels.ConvolutionInputGrad(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O,
                    h.Floats(dy).Slice(1), h.Floats(weight).Slice(2), dx.Slice(5));
                return h.Read(dx)[5..];
            },
            () =>
            {
                var dx = new double[s.ImageSize];
                s.ForEachProduct((pixel, w, output) => dx[pixel] += (double)weight[2 + w] * dy[1 + output]);
                return dx;
            },
            1e-5);
    }

    [KernelFact]
    public void WeightGradientSumsTheBatch()
    {
        foreach (Case s in s_cases)
            VerifyWeightGradient(s);
    }

    private void VerifyWeightGradient(Case s)
    {
        float[] dy = RandomFloats(7, 2 + s.OutputSize), image = RandomFloats(8, 1 + s.ImageSize);
        Verify(
            h =>
            {
                var dw = h.Floats(RandomFloats(9, 3 + s.WeightSize));
                h.Kernels.ConvolutionWeightGrad(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O,
                    h.Floats(dy).Slice(2), h.Floats(image).Slice(1), dw.Slice(3));
                return h.Read(dw)[3..];
            },
            () =>
            {
                var dw = new double[s.WeightSize];
                s.ForEachProduct((pixel, w, output) => dw[w] += (double)dy[2 + output] * image[1 + pixel]);
                return dw;
            },
            1e-5,
            // Each weight sums 9·144 products in another order on the device (CPU: runs of examples
            // through the GEMM; here one loop), so float rounding differs by more than the others'.
            toleranceAgainstCpu: 1e-4);
    }

    /// <summary>The larger case, whose batch the CPU splits over its cores (when it has several).</summary>
    protected static Case Large => s_cases[1];
}

/// <summary>The CPU's fused convolution against the double reference, and its weight gradient's independence of the threads.</summary>
public sealed class CpuFusedConvolutionKernelTests : FusedConvolutionKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;

    /// <summary>
    /// The weight gradient run on one thread (inside a parallel loop, where nested loops run inline)
    /// gives the bits of the same call split over the cores: the batch is summed in fixed runs.
    /// </summary>
    [Fact]
    public void WeightGradientHasTheSameBitsOnOneThreadAsOnSeveral()
    {
        Case s = Large;
        float[] dy = RandomFloats(10, s.OutputSize), image = RandomFloats(11, s.ImageSize);
        float[] split = new float[s.WeightSize];
        Convolution.WeightGradient(dy, image, split, s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O);
        float[][] inline = [new float[s.WeightSize], new float[s.WeightSize]];
        CpuParallel.For(2, 1, (start, end) =>
        {
            for (int i = start; i < end; i++)
                Convolution.WeightGradient(dy, image, inline[i], s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O);
        });
        Assert.Equal(split, inline[0]);
        Assert.Equal(split, inline[1]);
    }
}

/// <summary>The OpenCL fused convolution (direct sums) against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClFusedConvolutionKernelTests(OpenClKernelsFixture fixture) : FusedConvolutionKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU fused convolution on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuFusedConvolutionKernelTests(IlgpuKernelsFixture fixture) : FusedConvolutionKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU fused convolution on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaFusedConvolutionKernelTests(CudaKernelsFixture fixture) : FusedConvolutionKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
