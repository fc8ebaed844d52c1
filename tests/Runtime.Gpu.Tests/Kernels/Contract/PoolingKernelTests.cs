using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Kernels;
using Dsl.Tests.Ilgpu;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Direct pooling (issue 19): max pooling and its gradient against a reference
/// that walks each window's real taps in window order and keeps the first strictly larger score (a
/// NaN, once reached, staying the maximum), average pooling and its gradient against double sums;
/// on 2×2 windows of odd-sized images (the CPU's vector path, with its tails and uncovered edges),
/// on LeNet's pool, and on overlapping, padded, strided and dilated windows, wide enough for the CPU's
/// gathered blocks of eight; with ties and NaNs;
/// from and to offsets into the buffers, over garbage the kernels must overwrite.
/// </summary>
public abstract class PoolingKernelTests : KernelContractTests
{
    /// <summary>A batch, image and window.</summary>
    public sealed record Case(int Batch, int C, int H, int W, int Kh, int Kw, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw)
    {
        public int Oh => ((H + (2 * Ph) - (Dh * (Kh - 1)) - 1) / Sh) + 1;

        public int Ow => ((W + (2 * Pw) - (Dw * (Kw - 1)) - 1) / Sw) + 1;

        public int ImageSize => Batch * C * H * W;

        public int PooledSize => Batch * C * Oh * Ow;

        /// <summary>The image indices of output <paramref name="output"/>'s real taps, in window order.</summary>
        public IEnumerable<int> Taps(int output)
        {
            int plane = output / (Oh * Ow), p = output % (Oh * Ow);
            for (int i = 0; i < Kh; i++)
                for (int j = 0; j < Kw; j++)
                {
                    int y = (p / Ow * Sh) - Ph + (i * Dh), x = (p % Ow * Sw) - Pw + (j * Dw);
                    if (y >= 0 && y < H && x >= 0 && x < W)
                        yield return (((plane * H) + y) * W) + x;
                }
        }

        /// <summary>The tap of output <paramref name="output"/> the rule picks from <paramref name="scores"/> (read from <paramref name="offset"/>).</summary>
        public int FirstMaximum(float[] scores, int offset, int output)
        {
            int best = -1;
            foreach (int tap in Taps(output))
            {
                if (best >= 0 && float.IsNaN(scores[offset + best]))
                    break;
                if (best < 0 || scores[offset + tap] > scores[offset + best] || float.IsNaN(scores[offset + tap]))
                    best = tap;
            }
            return best;
        }

        public void Pool(DeviceKernels k, DeviceSlice scores, DeviceSlice values, DeviceSlice y) =>
            k.MaxPool(Batch, C, H, W, Kh, Kw, Sh, Sw, Ph, Pw, Dh, Dw, scores, values, y);

        public void PoolBackward(DeviceKernels k, DeviceSlice scores, DeviceSlice d, DeviceSlice dx) =>
            k.MaxPoolBackward(Batch, C, H, W, Kh, Kw, Sh, Sw, Ph, Pw, Dh, Dw, scores, d, dx);
    }

    private static readonly Case[] s_cases =
    [
        new(5, 3, 9, 19, 2, 2, 2, 2, 0, 0, 1, 1), // 2x2 on odd sides: 4x9 outputs, runs of four across rows, a tail, an uncovered row and column
        new(4, 6, 24, 24, 2, 2, 2, 2, 0, 0, 1, 1), // LeNet's first pool, large enough to split over the cores
        new(3, 2, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1), // 3x3 stride 2 padding 1: overlapping, padded
        new(2, 3, 6, 7, 2, 3, 1, 2, 1, 1, 2, 1), // non-square, stride 1x2, padding 1, dilation 2x1
        new(2, 2, 9, 40, 3, 3, 2, 2, 1, 1, 1, 1), // 3x3 stride 2 padding 1, wide: the CPU's gathered blocks of eight windows between padded edges
        new(2, 3, 6, 21, 2, 3, 1, 1, 1, 1, 2, 2), // stride 1, dilation 2: blocks of eight overlapping windows, then a scalar tail
    ];

    /// <summary>Scores with many ties (a few levels), zeros of both signs and, when asked, NaNs.</summary>
    private static float[] Ties(int seed, int count, bool nans)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(8) switch
        {
            0 => -0f,
            1 => 0f,
            2 when nans && random.Next(6) == 0 => float.NaN,
            var level => level / 4f,
        }).ToArray();
    }

    [KernelFact]
    public void MaxPoolTakesEachWindowsMaximum()
    {
        foreach (Case s in s_cases)
            foreach (bool ties in new[] { false, true })
            {
                float[] x = ties ? Ties(21, 3 + s.ImageSize, nans: true) : RandomFloats(1, 3 + s.ImageSize);
                Verify(
                    h =>
                    {
                        var image = h.Floats(x);
                        var y = h.Floats(RandomFloats(2, 1 + s.PooledSize));
                        s.Pool(h.Kernels, image.Slice(3), image.Slice(3), y.Slice(1));
                        return h.Read(y)[1..];
                    },
                    () => Enumerable.Range(0, s.PooledSize).Select(o => (double)x[3 + s.FirstMaximum(x, 3, o)]).ToArray(),
                    0);
            }
    }

    [KernelFact]
    public void MaxPoolOfOtherScoresTakesTheValuesAtTheirFirstMaximum()
    {
        foreach (Case s in s_cases)
        {
            float[] scores = Ties(3, 2 + s.ImageSize, nans: true), values = RandomFloats(4, 1 + s.ImageSize);
            Verify(
                h =>
                {
                    var y = h.Floats(RandomFloats(5, 2 + s.PooledSize));
                    s.Pool(h.Kernels, h.Floats(scores).Slice(2), h.Floats(values).Slice(1), y.Slice(2));
                    return h.Read(y)[2..];
                },
                () => Enumerable.Range(0, s.PooledSize).Select(o => (double)values[1 + s.FirstMaximum(scores, 2, o)]).ToArray(),
                0);
        }
    }

    [KernelFact]
    public void MaxPoolBackwardAddsEachGradientAtItsWindowsFirstMaximum()
    {
        foreach (Case s in s_cases)
            foreach (bool ties in new[] { false, true })
            {
                float[] scores = ties ? Ties(6, 1 + s.ImageSize, nans: true) : RandomFloats(6, 1 + s.ImageSize), d = RandomFloats(7, 3 + s.PooledSize);
                Verify(
                    h =>
                    {
                        var dx = h.Floats(RandomFloats(8, 2 + s.ImageSize));
                        s.PoolBackward(h.Kernels, h.Floats(scores).Slice(1), h.Floats(d).Slice(3), dx.Slice(2));
                        return h.Read(dx)[2..];
                    },
                    () =>
                    {
                        var dx = new double[s.ImageSize];
                        for (int o = 0; o < s.PooledSize; o++)
                            dx[s.FirstMaximum(scores, 1, o)] += d[3 + o];
                        return dx;
                    },
                    1e-6);
            }
    }

    [KernelFact]
    public void AvgPoolDividesEachWindowsSumByItsWholeSize()
    {
        foreach (Case s in s_cases)
        {
            float[] x = RandomFloats(9, 2 + s.ImageSize);
            Verify(
                h =>
                {
                    var y = h.Floats(RandomFloats(10, 1 + s.PooledSize));
                    h.Kernels.AvgPool(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, h.Floats(x).Slice(2), y.Slice(1));
                    return h.Read(y)[1..];
                },
                () => Enumerable.Range(0, s.PooledSize).Select(o => s.Taps(o).Sum(t => (double)x[2 + t]) / (s.Kh * s.Kw)).ToArray(),
                1e-6);
        }
    }

    [KernelFact]
    public void AvgPoolBackwardSpreadsEachGradientOverItsWindow()
    {
        foreach (Case s in s_cases)
        {
            float[] d = RandomFloats(11, 1 + s.PooledSize);
            Verify(
                h =>
                {
                    var dx = h.Floats(RandomFloats(12, 3 + s.ImageSize));
                    h.Kernels.AvgPoolBackward(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, h.Floats(d).Slice(1), dx.Slice(3));
                    return h.Read(dx)[3..];
                },
                () =>
                {
                    var dx = new double[s.ImageSize];
                    for (int o = 0; o < s.PooledSize; o++)
                        foreach (int tap in s.Taps(o))
                            dx[tap] += (double)d[1 + o] / (s.Kh * s.Kw);
                    return dx;
                },
                1e-6);
        }
    }

    /// <summary>The LeNet case, whose planes the CPU splits over its cores.</summary>
    protected static Case Large => s_cases[1];
}

/// <summary>The CPU's pooling against the references, and its independence of the thread count.</summary>
public sealed class CpuPoolingKernelTests : PoolingKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;

    /// <summary>The gradient run on one thread (inside a parallel loop, where loops run inline) has the bits of the call split over the cores.</summary>
    [Fact]
    public void MaxPoolBackwardHasTheSameBitsOnOneThreadAsOnSeveral()
    {
        Case s = Large;
        float[] scores = RandomFloats(13, s.ImageSize), d = RandomFloats(14, s.PooledSize);
        float[] split = new float[s.ImageSize];
        Pooling.MaxPoolBackward(scores, d, split, s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw);
        float[][] inline = [new float[s.ImageSize], new float[s.ImageSize]];
        CpuParallel.For(2, 1, (start, end) =>
        {
            for (int i = start; i < end; i++)
                Pooling.MaxPoolBackward(scores, d, inline[i], s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw);
        });
        Assert.Equal(split, inline[0]);
        Assert.Equal(split, inline[1]);
    }
}

/// <summary>The OpenCL pooling (one work-item per output or pixel) against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClPoolingKernelTests(OpenClKernelsFixture fixture) : PoolingKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU pooling on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuPoolingKernelTests(IlgpuKernelsFixture fixture) : PoolingKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU pooling on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaPoolingKernelTests(CudaKernelsFixture fixture) : PoolingKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
