using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// The CPU convolution's stride-1 geometries (the direct kernels where AVX-512 runs them, im2col and
/// the GEMM elsewhere) against double sums over every tap: output channels and taps that do not fill
/// a register tile, kernels, padding and dilation that differ along the axes, no padding (LeNet's
/// 5x5), a padding wider than the kernel's reach (its input gradient takes the im2col path), and
/// rows of 16, 32 and 64 outputs (the kernels' row-by-row paths).
/// </summary>
public sealed class DirectConvolutionTests
{
    [Theory]
    [InlineData(2, 3, 9, 10, 3, 3, 1, 1, 1, 1, 5)]    // 3x3 padding 1, 5 outputs and 27 taps: partial tiles
    [InlineData(3, 2, 7, 9, 3, 2, 2, 1, 2, 1, 9)]     // padding and dilation differ along the axes, two row blocks
    [InlineData(2, 1, 12, 12, 5, 5, 0, 0, 1, 1, 6)]   // LeNet's first convolution, scaled down
    [InlineData(2, 6, 8, 8, 5, 5, 0, 0, 1, 1, 16)]    // LeNet's second
    [InlineData(2, 4, 5, 6, 1, 3, 1, 1, 1, 1, 3)]     // padding 1 on a 1-row kernel: the input gradient's padding would be negative
    [InlineData(33, 2, 4, 4, 3, 3, 1, 1, 1, 1, 4)]    // more examples than weight-gradient runs
    [InlineData(2, 3, 5, 32, 3, 3, 1, 1, 1, 1, 12)]   // rows of 32: tiles row by row, a partial row block; ȳ read in place (12 = 3 weight tiles)
    [InlineData(3, 2, 4, 64, 3, 3, 1, 1, 1, 1, 5)]    // two tiles per row; 5 outputs: the weight gradient goes back to the grid
    [InlineData(2, 2, 3, 16, 3, 1, 1, 0, 1, 1, 8)]    // rows of 16: the forward product on the grid, the weight gradient row by row
    public void StrideOneMatchesTheSumsOverEveryTap(int batch, int c, int h, int w, int kh, int kw, int ph, int pw, int dh, int dw, int o)
    {
        int oh = h + (2 * ph) - (dh * (kh - 1)), ow = w + (2 * pw) - (dw * (kw - 1)), taps = c * kh * kw;
        float[] x = Random(1, batch * c * h * w), weight = Random(2, o * taps), dy = Random(3, batch * o * oh * ow);
        var y = new double[batch * o * oh * ow];
        var dx = new double[x.Length];
        var dWeight = new double[weight.Length];
        for (int e = 0; e < batch; e++)
            for (int k = 0; k < o; k++)
                for (int p = 0; p < oh * ow; p++)
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int row = (p / ow) - ph + (i * dh), col = (p % ow) - pw + (j * dw);
                                if (row < 0 || row >= h || col < 0 || col >= w)
                                    continue;
                                int pixel = (((e * c) + ch) * h + row) * w + col, tap = (k * taps) + (((ch * kh) + i) * kw) + j, output = (((e * o) + k) * oh * ow) + p;
                                y[output] += (double)weight[tap] * x[pixel];
                                dx[pixel] += (double)weight[tap] * dy[output];
                                dWeight[tap] += (double)dy[output] * x[pixel];
                            }

        float[] actualY = Random(4, y.Length), actualDx = Random(5, dx.Length), actualDw = Random(6, dWeight.Length); // garbage to overwrite
        Convolution.Forward(x, weight, actualY, batch, c, h, w, kh, kw, 1, 1, ph, pw, dh, dw, o);
        Convolution.InputGradient(dy, weight, actualDx, batch, c, h, w, kh, kw, 1, 1, ph, pw, dh, dw, o);
        Convolution.WeightGradient(dy, x, actualDw, batch, c, h, w, kh, kw, 1, 1, ph, pw, dh, dw, o);
        AssertClose(y, actualY, "y");
        AssertClose(dx, actualDx, "dx");
        AssertClose(dWeight, actualDw, "dW");
    }

    [Theory]
    [InlineData(3, 2, 4, 32, 3, 3, 1, 1, 1, 1, 5)]    // stride 1: the direct kernels (where AVX-512 runs them), row by row
    [InlineData(3, 2, 5, 7, 3, 3, 1, 1, 1, 1, 4)]     // stride 1 on the flat grid
    [InlineData(3, 2, 7, 9, 3, 3, 2, 2, 1, 1, 4)]     // stride 2: im2col and the GEMM
    public void TheEpilogueSeesEachExampleOnceWhenItIsFinal(int batch, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int o)
    {
        int oh = ((h + (2 * ph) - kh) / sh) + 1, ow = ((w + (2 * pw) - kw) / sw) + 1, rowsPerExample = o * oh;
        float[] x = Random(1, batch * c * h * w), weight = Random(2, o * c * kh * kw);
        float[] plain = new float[batch * o * oh * ow], fused = new float[plain.Length];
        Convolution.Forward(x, weight, plain, batch, c, h, w, kh, kw, sh, sw, ph, pw, 1, 1, o);
        var calls = new System.Collections.Concurrent.ConcurrentBag<(int RowStart, int RowEnd, int ColumnStart, int ColumnEnd)>();
        Convolution.Forward(x, weight, fused, batch, c, h, w, kh, kw, sh, sw, ph, pw, 1, 1, o, epilogue: (rowStart, rowEnd, columnStart, columnEnd) =>
        {
            calls.Add((rowStart, rowEnd, columnStart, columnEnd));
            for (int row = rowStart; row < rowEnd; row++)
                for (int column = columnStart; column < columnEnd; column++)
                    fused[(row * ow) + column] = (2 * fused[(row * ow) + column]) + 1;
        });

        // y as the matrix [batch·o·oh, ow]: one call per example, its rows whole.
        Assert.Equal(
            Enumerable.Range(0, batch).Select(e => (e * rowsPerExample, (e + 1) * rowsPerExample, 0, ow)).ToArray(),
            calls.OrderBy(call => call.RowStart).ToArray());
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal((2 * plain[i]) + 1, fused[i]);
    }

    private static void AssertClose(double[] expected, float[] actual, string name)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{name}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    private static float[] Random(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
