using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Kernels;
using Dsl.Tests.Ilgpu;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Adaptive pooling (issue 19) over PyTorch's windows, computed here in floating point as aten's
/// start_index and end_index (rows ⌊i·H/OH⌋ to ⌈(i+1)·H/OH⌉ − 1, columns likewise): max pooling and
/// its gradient against a reference that keeps each window's first strictly larger score in row-major
/// order (a NaN, once reached, staying the maximum), average pooling and its gradient against double
/// sums divided by each window's own size; on uneven overlapping windows, more outputs than pixels,
/// an output that divides the image, a one-row image (the 1-D layers) and planes enough to split
/// over the cores; with ties and NaNs; from and to offsets, over garbage the kernels must overwrite.
/// </summary>
public abstract class AdaptivePoolingKernelTests : KernelContractTests
{
    /// <summary>A batch, image and output size.</summary>
    public sealed record Case(int Batch, int C, int H, int W, int Oh, int Ow)
    {
        public int ImageSize => Batch * C * H * W;

        public int PooledSize => Batch * C * Oh * Ow;

        /// <summary>The image indices of output <paramref name="output"/>'s window, in row-major order.</summary>
        public IEnumerable<int> Taps(int output)
        {
            int plane = output / (Oh * Ow), oy = output % (Oh * Ow) / Ow, ox = output % Ow;
            int top = (int)Math.Floor(oy * (double)H / Oh), bottom = (int)Math.Ceiling((oy + 1) * (double)H / Oh);
            int left = (int)Math.Floor(ox * (double)W / Ow), right = (int)Math.Ceiling((ox + 1) * (double)W / Ow);
            for (int y = top; y < bottom; y++)
                for (int x = left; x < right; x++)
                    yield return (((plane * H) + y) * W) + x;
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
    }

    private static readonly Case[] s_cases =
    [
        new(3, 2, 7, 5, 3, 4), // uneven: rows of three overlapping by one, columns of two overlapping
        new(2, 3, 4, 5, 7, 9), // more outputs than pixels: windows of one or two, each pixel in several
        new(2, 2, 9, 6, 3, 3), // an output that divides the image: 3x2 windows that tile it
        new(2, 1, 1, 10, 1, 4), // a one-row image (AdaptiveMaxPool1d/AdaptiveAvgPool1d): windows of three and four
        new(4, 6, 13, 11, 5, 4), // planes enough to split over the cores
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
    public void AdaptiveMaxPoolTakesTheValuesAtEachWindowsFirstMaximum()
    {
        foreach (Case s in s_cases)
            foreach (bool ties in new[] { false, true })
            {
                float[] scores = ties ? Ties(21, 3 + s.ImageSize, nans: true) : RandomFloats(1, 3 + s.ImageSize), values = RandomFloats(4, 1 + s.ImageSize);
                Verify(
                    h =>
                    {
                        var y = h.Floats(RandomFloats(2, 1 + s.PooledSize));
                        h.Kernels.AdaptiveMaxPool(s.Batch, s.C, s.H, s.W, s.Oh, s.Ow, h.Floats(scores).Slice(3), h.Floats(values).Slice(1), y.Slice(1));
                        return h.Read(y)[1..];
                    },
                    () => Enumerable.Range(0, s.PooledSize).Select(o => (double)values[1 + s.FirstMaximum(scores, 3, o)]).ToArray(),
                    0);
            }
    }

    [KernelFact]
    public void AdaptiveMaxPoolBackwardAddsEachGradientAtItsWindowsFirstMaximum()
    {
        foreach (Case s in s_cases)
            foreach (bool ties in new[] { false, true })
            {
                float[] scores = ties ? Ties(6, 1 + s.ImageSize, nans: true) : RandomFloats(6, 1 + s.ImageSize), d = RandomFloats(7, 3 + s.PooledSize);
                Verify(
                    h =>
                    {
                        var dx = h.Floats(RandomFloats(8, 2 + s.ImageSize));
                        h.Kernels.AdaptiveMaxPoolBackward(s.Batch, s.C, s.H, s.W, s.Oh, s.Ow, h.Floats(scores).Slice(1), h.Floats(d).Slice(3), dx.Slice(2));
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
    public void AdaptiveAvgPoolDividesEachWindowsSumByItsOwnSize()
    {
        foreach (Case s in s_cases)
        {
            float[] x = RandomFloats(9, 2 + s.ImageSize);
            Verify(
                h =>
                {
                    var y = h.Floats(RandomFloats(10, 1 + s.PooledSize));
                    h.Kernels.AdaptiveAvgPool(s.Batch, s.C, s.H, s.W, s.Oh, s.Ow, h.Floats(x).Slice(2), y.Slice(1));
                    return h.Read(y)[1..];
                },
                () => Enumerable.Range(0, s.PooledSize).Select(o => s.Taps(o).Average(t => (double)x[2 + t])).ToArray(),
                1e-6);
        }
    }

    [KernelFact]
    public void AdaptiveAvgPoolBackwardSpreadsEachGradientOverItsWindow()
    {
        foreach (Case s in s_cases)
        {
            float[] d = RandomFloats(11, 1 + s.PooledSize);
            Verify(
                h =>
                {
                    var dx = h.Floats(RandomFloats(12, 3 + s.ImageSize));
                    h.Kernels.AdaptiveAvgPoolBackward(s.Batch, s.C, s.H, s.W, s.Oh, s.Ow, h.Floats(d).Slice(1), dx.Slice(3));
                    return h.Read(dx)[3..];
                },
                () =>
                {
                    var dx = new double[s.ImageSize];
                    for (int o = 0; o < s.PooledSize; o++)
                    {
                        int[] taps = s.Taps(o).ToArray();
                        foreach (int tap in taps)
                            dx[tap] += (double)d[1 + o] / taps.Length;
                    }
                    return dx;
                },
                1e-6);
        }
    }

    /// <summary>The case whose planes the CPU splits over its cores.</summary>
    protected static Case Large => s_cases[^1];
}

/// <summary>The CPU's adaptive pooling against the references, and its independence of the thread count.</summary>
public sealed class CpuAdaptivePoolingKernelTests : AdaptivePoolingKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;

    /// <summary>The gradients run on one thread (inside a parallel loop, where loops run inline) have the bits of the calls split over the cores.</summary>
    [Fact]
    public void TheGradientsHaveTheSameBitsOnOneThreadAsOnSeveral()
    {
        Case s = Large;
        float[] scores = RandomFloats(13, s.ImageSize), d = RandomFloats(14, s.PooledSize);
        float[] splitMax = new float[s.ImageSize], splitAverage = new float[s.ImageSize];
        Pooling.AdaptiveMaxPoolBackward(scores, d, splitMax, s.Batch, s.C, s.H, s.W, s.Oh, s.Ow);
        Pooling.AdaptiveAvgPoolBackward(d, splitAverage, s.Batch, s.C, s.H, s.W, s.Oh, s.Ow);
        float[][] inline = [new float[s.ImageSize], new float[s.ImageSize]];
        CpuParallel.For(2, 1, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                if (i == 0)
                    Pooling.AdaptiveMaxPoolBackward(scores, d, inline[i], s.Batch, s.C, s.H, s.W, s.Oh, s.Ow);
                else
                    Pooling.AdaptiveAvgPoolBackward(d, inline[i], s.Batch, s.C, s.H, s.W, s.Oh, s.Ow);
            }
        });
        Assert.Equal(splitMax, inline[0]);
        Assert.Equal(splitAverage, inline[1]);
    }
}

/// <summary>The OpenCL adaptive pooling (one work-item per output or pixel) against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClAdaptivePoolingKernelTests(OpenClKernelsFixture fixture) : AdaptivePoolingKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU adaptive pooling on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuAdaptivePoolingKernelTests(IlgpuKernelsFixture fixture) : AdaptivePoolingKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU adaptive pooling on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaAdaptivePoolingKernelTests(CudaKernelsFixture fixture) : AdaptivePoolingKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
