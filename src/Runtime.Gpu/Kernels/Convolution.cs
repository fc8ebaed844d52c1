using System;

namespace Dsl.Kernels;

/// <summary>
/// The convolution and pooling kernels over NCHW floats: <see cref="Im2Col"/> lays each output
/// position's receptive field out as one row, so a convolution is one GEMM over every row of the
/// batch (and pooling a reduction over each row's window); <see cref="Col2Im"/> is its transpose,
/// which adds the rows back into the image (the input gradient). Max pooling's choice of the first
/// maximum of each window is <c>Rows.ArgMaxMask</c>, the axis reductions' kernel.
/// </summary>
/// <remarks>
/// A geometry is (channels, height, width) of one image, the kernel (kh, kw), stride (sh, sw),
/// zero padding (ph, pw) and dilation (dh, dw); the output is oh = (h + 2ph − dh(kh − 1) − 1) / sh + 1
/// by ow likewise, and a row of the columns is [channels, kh, kw], PyTorch's weight layout.
/// Spans may be longer than the counts say (buffers sized for the largest batch).
/// </remarks>
public static unsafe partial class Convolution
{
    /// <summary>
    /// cols[e, oy·ow + ox, (c·kh + i)·kw + j] = x[e, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw], zero
    /// where that falls in the padding.
    /// </summary>
    /// <param name="x">The images, [batch, channels, height, width].</param>
    /// <param name="cols">The rows, [batch, oh·ow, channels·kh·kw].</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="kernelHeight">kh.</param>
    /// <param name="kernelWidth">kw.</param>
    /// <param name="strideHeight">sh.</param>
    /// <param name="strideWidth">sw.</param>
    /// <param name="padHeight">ph, zeros above and below.</param>
    /// <param name="padWidth">pw, zeros left and right.</param>
    /// <param name="dilationHeight">dh.</param>
    /// <param name="dilationWidth">dw.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or the geometry has no output.</exception>
    public static void Im2Col(
        ReadOnlySpan<float> x, Span<float> cols, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        Geometry g = Geometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        Check(x.Length, (long)batch * g.ImageSize, nameof(x));
        Check(cols.Length, (long)batch * g.ColumnsSize, nameof(cols));
        fixed (float* px = x, pc = cols)
        {
            var kernel = new Im2ColRows { X = px, Cols = pc, G = g };
            RowSplit.Run(kernel, batch * g.OutHeight, (long)g.OutWidth * g.RowWidth);
        }
    }

    /// <summary>
    /// x[e, c, y, x] = Σ cols[e, p, (c·kh + i)·kw + j] over the output positions p and kernel
    /// offsets (i, j) that read pixel (y, x): the transpose of <see cref="Im2Col"/>.
    /// </summary>
    /// <param name="cols">The rows, [batch, oh·ow, channels·kh·kw].</param>
    /// <param name="x">The images, [batch, channels, height, width] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="kernelHeight">kh.</param>
    /// <param name="kernelWidth">kw.</param>
    /// <param name="strideHeight">sh.</param>
    /// <param name="strideWidth">sw.</param>
    /// <param name="padHeight">ph.</param>
    /// <param name="padWidth">pw.</param>
    /// <param name="dilationHeight">dh.</param>
    /// <param name="dilationWidth">dw.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or the geometry has no output.</exception>
    public static void Col2Im(
        ReadOnlySpan<float> cols, Span<float> x, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        Geometry g = Geometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        Check(cols.Length, (long)batch * g.ColumnsSize, nameof(cols));
        Check(x.Length, (long)batch * g.ImageSize, nameof(x));
        fixed (float* pc = cols, px = x)
        {
            // One unit per example: no two units write one pixel, so no atomics, and each image
            // sums in the same order however the units are split.
            var kernel = new Col2ImExamples { Cols = pc, X = px, G = g };
            RowSplit.Run(kernel, batch, g.ColumnsSize);
        }
    }

    private static void Check(int length, long needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} floats; the counts need {needed}.", name);
    }

    /// <summary>A convolution's sizes, with the output's derived once.</summary>
    private readonly struct Geometry
    {
        public readonly int Channels, Height, Width, KernelHeight, KernelWidth, StrideHeight, StrideWidth, PadHeight, PadWidth, DilationHeight, DilationWidth;
        public readonly int OutHeight, OutWidth;

        private Geometry(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            (Channels, Height, Width, KernelHeight, KernelWidth) = (c, h, w, kh, kw);
            (StrideHeight, StrideWidth, PadHeight, PadWidth, DilationHeight, DilationWidth) = (sh, sw, ph, pw, dh, dw);
            OutHeight = OutputLength(h, kh, sh, ph, dh);
            OutWidth = OutputLength(w, kw, sw, pw, dw);
        }

        public int RowWidth => Channels * KernelHeight * KernelWidth;

        public long ImageSize => (long)Channels * Height * Width;

        public long ColumnsSize => (long)OutHeight * OutWidth * RowWidth;

        public static Geometry Of(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            if (c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || dh < 1 || dw < 1)
                throw new ArgumentException($"Convolution geometry [{c}, {h}, {w}] kernel {kh}x{kw} stride {sh}x{sw} padding {ph}x{pw} dilation {dh}x{dw} has a size out of range.");
            var g = new Geometry(c, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
            if (g.OutHeight < 1 || g.OutWidth < 1)
                throw new ArgumentException($"Convolution kernel {kh}x{kw} (dilation {dh}x{dw}) is larger than the padded input {h + 2 * ph}x{w + 2 * pw}.");
            return g;
        }

        private static int OutputLength(int length, int kernel, int stride, int pad, int dilation) =>
            (length + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
    }

    /// <summary>
    /// Units are the output rows (e, oy): each writes its ow rows of the columns, one (channel,
    /// kernel row) at a time across all ow of them, so the padding tests are made once per image
    /// row rather than once per tap, and the positions whose window is clear of the side padding
    /// (most of them) copy without a test.
    /// </summary>
    private struct Im2ColRows : IRowKernel
    {
        public float* X;
        public float* Cols;
        public Geometry G;

        public readonly void Execute(int start, int end)
        {
            Geometry g = G;
            int plane = g.Height * g.Width, kw = g.KernelWidth, dw = g.DilationWidth, sw = g.StrideWidth, rowWidth = g.RowWidth;
            // Positions [first, last) have every tap inside the row: left = ox·sw − pw ≥ 0 and left + dw·(kw − 1) < width.
            int first = Math.Min(g.OutWidth, (g.PadWidth + sw - 1) / sw);
            int lastInside = g.Width - 1 - dw * (kw - 1) + g.PadWidth;
            int last = lastInside < 0 ? first : Math.Clamp(lastInside / sw + 1, first, g.OutWidth);
            for (int unit = start; unit < end; unit++)
            {
                int e = unit / g.OutHeight, oy = unit % g.OutHeight;
                float* image = X + (long)e * g.ImageSize;
                float* rows = Cols + ((long)e * g.OutHeight * g.OutWidth + (long)oy * g.OutWidth) * rowWidth;
                for (int c = 0; c < g.Channels; c++)
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        float* taps = rows + (c * g.KernelHeight + i) * kw;
                        int y = oy * g.StrideHeight - g.PadHeight + i * g.DilationHeight;
                        if ((uint)y >= (uint)g.Height)
                        {
                            for (int ox = 0; ox < g.OutWidth; ox++)
                                new Span<float>(taps + (long)ox * rowWidth, kw).Clear();
                            continue;
                        }
                        float* line = image + (long)c * plane + (long)y * g.Width - g.PadWidth;
                        for (int ox = 0; ox < first; ox++)
                            CopyClipped(line, taps + (long)ox * rowWidth, ox, g);
                        if (dw == 1)
                        {
                            for (int ox = first; ox < last; ox++)
                            {
                                float* target = taps + (long)ox * rowWidth, source = line + ox * sw;
                                for (int j = 0; j < kw; j++)
                                    target[j] = source[j];
                            }
                        }
                        else
                        {
                            for (int ox = first; ox < last; ox++)
                            {
                                float* target = taps + (long)ox * rowWidth, source = line + ox * sw;
                                for (int j = 0; j < kw; j++)
                                    target[j] = source[j * dw];
                            }
                        }
                        for (int ox = last; ox < g.OutWidth; ox++)
                            CopyClipped(line, taps + (long)ox * rowWidth, ox, g);
                    }
            }
        }

        /// <summary>One window's kw taps of one image row, zero where a tap falls in the side padding; <paramref name="line"/> points pw floats before the row.</summary>
        private static void CopyClipped(float* line, float* target, int ox, in Geometry g)
        {
            int left = ox * g.StrideWidth - g.PadWidth;
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int x = left + j * g.DilationWidth;
                target[j] = (uint)x < (uint)g.Width ? line[x + g.PadWidth] : 0f;
            }
        }
    }

    /// <summary>
    /// Units are the examples: each clears its image, then adds its rows in order, each row read
    /// once from start to end (a row is one cache-friendly run; reading each plane's share of every
    /// row instead re-read each row's cache lines once per channel). A pixel's sum still runs over
    /// the positions in order, then the kernel offsets, so the result is the same bits as per plane.
    /// </summary>
    private struct Col2ImExamples : IRowKernel
    {
        public float* Cols;
        public float* X;
        public Geometry G;

        public readonly void Execute(int start, int end)
        {
            Geometry g = G;
            int plane = g.Height * g.Width, positions = g.OutHeight * g.OutWidth, taps = g.KernelHeight * g.KernelWidth;
            for (int e = start; e < end; e++)
            {
                float* image = X + e * g.ImageSize;
                new Span<float>(image, checked((int)g.ImageSize)).Clear();
                float* row = Cols + e * positions * (long)g.RowWidth;
                for (int p = 0; p < positions; p++, row += g.RowWidth)
                {
                    int oy = p / g.OutWidth, ox = p % g.OutWidth;
                    int top = oy * g.StrideHeight - g.PadHeight, left = ox * g.StrideWidth - g.PadWidth;
                    bool insideColumns = left >= 0 && left + g.DilationWidth * (g.KernelWidth - 1) < g.Width;
                    for (int c = 0; c < g.Channels; c++)
                    {
                        float* target = image + (long)c * plane;
                        float* taps0 = row + c * taps;
                        for (int i = 0; i < g.KernelHeight; i++)
                        {
                            int y = top + i * g.DilationHeight;
                            if ((uint)y >= (uint)g.Height) continue;
                            float* line = target + y * g.Width + left;
                            float* values = taps0 + i * g.KernelWidth;
                            if (insideColumns)
                            {
                                for (int j = 0; j < g.KernelWidth; j++)
                                    line[j * g.DilationWidth] += values[j];
                            }
                            else
                            {
                                for (int j = 0; j < g.KernelWidth; j++)
                                {
                                    int x = left + j * g.DilationWidth;
                                    if ((uint)x < (uint)g.Width)
                                        line[j * g.DilationWidth] += values[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
