using System;

namespace Dsl.Kernels;

/// <summary>
/// Pooling over NCHW floats, each window reduced where it lies (issue 19): max
/// pooling takes each window's value at the first maximum of its scores in window order (row by
/// row, a padding tap never chosen; a NaN, once reached, is the maximum, as <c>Rows.ArgMaxMask</c>
/// chooses), and its gradient adds each output's gradient at that tap; average pooling divides each
/// window's sum by its whole size (padding counted, PyTorch's count_include_pad) and its gradient
/// spreads each output's share back over the window. The units are the (example, channel) planes,
/// split over the cores; each writes only its own plane, in the same order on any thread count.
/// </summary>
/// <remarks>
/// A geometry is (channels, height, width) of one image, the window (kh, kw), stride (sh, sw),
/// padding (ph, pw) and dilation (dh, dw), as <see cref="Convolution.Im2Col"/>'s; the output is
/// oh = (h + 2ph − dh(kh − 1) − 1) / sh + 1 by ow likewise. Spans may be longer than the counts say
/// (buffers sized for the largest batch).
/// </remarks>
public static unsafe partial class Pooling
{
    /// <summary>y[e, c, oy, ox] = values[e, c] at the first maximum of scores[e, c] in window (oy, ox).</summary>
    /// <param name="scores">What chooses the tap, [batch, channels, height, width]; the layer passes its input as both operands.</param>
    /// <param name="values">What is taken at the chosen tap, [batch, channels, height, width].</param>
    /// <param name="y">The pooled images, [batch, channels, oh, ow] (overwritten).</param>
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
    public static void MaxPool(
        ReadOnlySpan<float> scores, ReadOnlySpan<float> values, Span<float> y, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        PoolGeometry g = PoolGeometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int planes = CheckPlanes(batch, channels);
        Check(scores.Length, (long)planes * g.Plane, nameof(scores));
        Check(values.Length, (long)planes * g.Plane, nameof(values));
        Check(y.Length, (long)planes * g.Pooled, nameof(y));
        fixed (float* ps = scores, pv = values, py = y)
        {
            var kernel = new MaxPoolPlanes { Scores = ps, Values = pv, Y = py, G = g };
            RowSplit.Run(kernel, planes, g.Plane);
        }
    }

    /// <summary>
    /// dx[e, c] = d[e, c, oy, ox] added at the first maximum of scores[e, c] in window (oy, ox), for
    /// every window in row-major order; zero where no window chose a pixel.
    /// </summary>
    /// <param name="scores">What chose the taps, [batch, channels, height, width].</param>
    /// <param name="d">The pooled gradient, [batch, channels, oh, ow].</param>
    /// <param name="dx">The images' gradient, [batch, channels, height, width] (overwritten).</param>
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
    public static void MaxPoolBackward(
        ReadOnlySpan<float> scores, ReadOnlySpan<float> d, Span<float> dx, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        PoolGeometry g = PoolGeometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int planes = CheckPlanes(batch, channels);
        Check(scores.Length, (long)planes * g.Plane, nameof(scores));
        Check(d.Length, (long)planes * g.Pooled, nameof(d));
        Check(dx.Length, (long)planes * g.Plane, nameof(dx));
        fixed (float* ps = scores, pd = d, px = dx)
        {
            var kernel = new MaxPoolBackwardPlanes { Scores = ps, D = pd, Dx = px, G = g };
            RowSplit.Run(kernel, planes, g.Plane);
        }
    }

    /// <summary>y[e, c, oy, ox] = (the sum of window (oy, ox) of x[e, c], padding as zeros) · 1/(kh·kw).</summary>
    /// <param name="x">The images, [batch, channels, height, width].</param>
    /// <param name="y">The pooled images, [batch, channels, oh, ow] (overwritten).</param>
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
    public static void AvgPool(
        ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        PoolGeometry g = PoolGeometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int planes = CheckPlanes(batch, channels);
        Check(x.Length, (long)planes * g.Plane, nameof(x));
        Check(y.Length, (long)planes * g.Pooled, nameof(y));
        fixed (float* px = x, py = y)
        {
            var kernel = new AvgPoolPlanes { X = px, Y = py, G = g };
            RowSplit.Run(kernel, planes, g.Plane);
        }
    }

    /// <summary>
    /// dx[e, c] = Σ over the windows (oy, ox) covering each pixel, in row-major order, of
    /// d[e, c, oy, ox] · 1/(kh·kw): <see cref="AvgPool"/>'s transpose.
    /// </summary>
    /// <param name="d">The pooled gradient, [batch, channels, oh, ow].</param>
    /// <param name="dx">The images' gradient, [batch, channels, height, width] (overwritten).</param>
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
    public static void AvgPoolBackward(
        ReadOnlySpan<float> d, Span<float> dx, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth)
    {
        PoolGeometry g = PoolGeometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int planes = CheckPlanes(batch, channels);
        Check(d.Length, (long)planes * g.Pooled, nameof(d));
        Check(dx.Length, (long)planes * g.Plane, nameof(dx));
        fixed (float* pd = d, px = dx)
        {
            var kernel = new AvgPoolBackwardPlanes { D = pd, Dx = px, G = g };
            RowSplit.Run(kernel, planes, g.Plane);
        }
    }

    private static int CheckPlanes(int batch, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long planes = (long)batch * channels;
        if (planes > int.MaxValue)
            throw new ArgumentException($"{batch} examples of {channels} channels are more planes than int counts.", nameof(batch));
        return (int)planes;
    }

    private static void Check(int length, long needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} floats; the counts need {needed}.", name);
    }

    /// <summary>A pooling's sizes, with the output's derived once.</summary>
    private readonly struct PoolGeometry
    {
        public readonly int Height, Width, KernelHeight, KernelWidth, StrideHeight, StrideWidth, PadHeight, PadWidth, DilationHeight, DilationWidth;
        public readonly int OutHeight, OutWidth;

        private PoolGeometry(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            (Height, Width, KernelHeight, KernelWidth) = (h, w, kh, kw);
            (StrideHeight, StrideWidth, PadHeight, PadWidth, DilationHeight, DilationWidth) = (sh, sw, ph, pw, dh, dw);
            OutHeight = (int)((h + 2L * ph - (long)dh * (kh - 1) - 1) / sh + 1);
            OutWidth = (int)((w + 2L * pw - (long)dw * (kw - 1) - 1) / sw + 1);
        }

        /// <summary>Floats of one image plane, h·w.</summary>
        public int Plane => Height * Width;

        /// <summary>Floats of one pooled plane, oh·ow.</summary>
        public int Pooled => OutHeight * OutWidth;

        /// <summary>
        /// The 2×2 window with stride 2, no padding or dilation (LeNet's, and most networks'): windows
        /// that tile the image without overlap, which the vector paths take.
        /// </summary>
        public bool IsTwoByTwo =>
            KernelHeight == 2 && KernelWidth == 2 && StrideHeight == 2 && StrideWidth == 2 && PadHeight == 0 && PadWidth == 0 && DilationHeight == 1 && DilationWidth == 1;

        public static PoolGeometry Of(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            if (c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || dh < 1 || dw < 1)
                throw new ArgumentException($"Pooling geometry [{c}, {h}, {w}] window {kh}x{kw} stride {sh}x{sw} padding {ph}x{pw} dilation {dh}x{dw} has a size out of range.");
            if (h + 2L * ph < (long)dh * (kh - 1) + 1 || w + 2L * pw < (long)dw * (kw - 1) + 1)
                throw new ArgumentException($"Pooling window {kh}x{kw} (dilation {dh}x{dw}) is larger than the padded input {h + 2L * ph}x{w + 2L * pw}.");
            if ((long)h * w > int.MaxValue)
                throw new ArgumentException($"An image plane of {h}x{w} is more floats than int counts.");
            return new PoolGeometry(h, w, kh, kw, sh, sw, ph, pw, dh, dw);
        }

        /// <summary>The taps [first, end) of a window starting at <paramref name="start"/> that fall inside an axis of <paramref name="length"/>.</summary>
        public static (int First, int End) Inside(int start, int kernel, int dilation, int length)
        {
            if (start >= 0 && start + (kernel - 1) * dilation < length)
                return (0, kernel); // most windows: clear of the padding, no division
            int first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            int end = start >= length ? 0 : Math.Min(kernel, (length - start + dilation - 1) / dilation);
            return (first, Math.Max(first, end));
        }
    }
}
