using System;

namespace Dsl.Kernels;

// Adaptive pooling (issue 19): an image [C, H, W] reduced to [C, OH, OW] over PyTorch's windows,
// rows ⌊oy·H/OH⌋ to ⌈(oy+1)·H/OH⌉ − 1 and the columns likewise, which vary in size and may overlap
// when OH does not divide H. Max takes the value at the first maximum of the scores in row-major
// window order (a NaN, once reached, is the maximum, as MaxPool chooses) and its gradient adds each
// output's gradient there; average divides each window's sum by its own size and its gradient adds
// each window's share to its pixels, window after window. The units are the (example, channel)
// planes, split over the cores; each writes only its own plane, in the same order on any thread count.
public static unsafe partial class Pooling
{
    /// <summary>y[e, c, oy, ox] = values[e, c] at the first maximum of scores[e, c] in PyTorch's adaptive window (oy, ox).</summary>
    /// <param name="scores">What chooses the tap, [batch, channels, height, width]; the layer passes its input as both operands.</param>
    /// <param name="values">What is taken at the chosen tap, [batch, channels, height, width].</param>
    /// <param name="y">The pooled images, [batch, channels, outHeight, outWidth] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a size is not positive.</exception>
    public static void AdaptiveMaxPool(
        ReadOnlySpan<float> scores, ReadOnlySpan<float> values, Span<float> y, int batch, int channels, int height, int width, int outHeight, int outWidth)
    {
        AdaptiveGeometry g = AdaptiveGeometry.Of(channels, height, width, outHeight, outWidth);
        int planes = CheckPlanes(batch, channels);
        Check(scores.Length, (long)planes * g.Plane, nameof(scores));
        Check(values.Length, (long)planes * g.Plane, nameof(values));
        Check(y.Length, (long)planes * g.Pooled, nameof(y));
        fixed (float* ps = scores, pv = values, py = y)
            RowSplit.Run(new AdaptivePlanes { A = ps, B = pv, Out = py, G = g, Kind = AdaptiveKind.Max }, planes, g.Plane);
    }

    /// <summary>dx[e, c] = each d[e, c, oy, ox] added at the first maximum of scores[e, c] in adaptive window (oy, ox), in row-major order of the windows.</summary>
    /// <param name="scores">What chose the taps, [batch, channels, height, width].</param>
    /// <param name="d">The pooled gradient, [batch, channels, outHeight, outWidth].</param>
    /// <param name="dx">The images' gradient, [batch, channels, height, width] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a size is not positive.</exception>
    public static void AdaptiveMaxPoolBackward(
        ReadOnlySpan<float> scores, ReadOnlySpan<float> d, Span<float> dx, int batch, int channels, int height, int width, int outHeight, int outWidth)
    {
        AdaptiveGeometry g = AdaptiveGeometry.Of(channels, height, width, outHeight, outWidth);
        int planes = CheckPlanes(batch, channels);
        Check(scores.Length, (long)planes * g.Plane, nameof(scores));
        Check(d.Length, (long)planes * g.Pooled, nameof(d));
        Check(dx.Length, (long)planes * g.Plane, nameof(dx));
        fixed (float* ps = scores, pd = d, px = dx)
            RowSplit.Run(new AdaptivePlanes { A = ps, B = pd, Out = px, G = g, Kind = AdaptiveKind.MaxBackward }, planes, g.Plane);
    }

    /// <summary>y[e, c, oy, ox] = the mean of x[e, c] over PyTorch's adaptive window (oy, ox): its sum times 1/(its rows·its columns).</summary>
    /// <param name="x">The images, [batch, channels, height, width].</param>
    /// <param name="y">The pooled images, [batch, channels, outHeight, outWidth] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a size is not positive.</exception>
    public static void AdaptiveAvgPool(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int height, int width, int outHeight, int outWidth)
    {
        AdaptiveGeometry g = AdaptiveGeometry.Of(channels, height, width, outHeight, outWidth);
        int planes = CheckPlanes(batch, channels);
        Check(x.Length, (long)planes * g.Plane, nameof(x));
        Check(y.Length, (long)planes * g.Pooled, nameof(y));
        fixed (float* px = x, py = y)
            RowSplit.Run(new AdaptivePlanes { A = px, Out = py, G = g, Kind = AdaptiveKind.Average }, planes, g.Plane);
    }

    /// <summary>dx[e, c] = Σ over the adaptive windows covering each pixel, in row-major order, of d[e, c, oy, ox] times 1/(the window's size): <see cref="AdaptiveAvgPool"/>'s transpose.</summary>
    /// <param name="d">The pooled gradient, [batch, channels, outHeight, outWidth].</param>
    /// <param name="dx">The images' gradient, [batch, channels, height, width] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a size is not positive.</exception>
    public static void AdaptiveAvgPoolBackward(ReadOnlySpan<float> d, Span<float> dx, int batch, int channels, int height, int width, int outHeight, int outWidth)
    {
        AdaptiveGeometry g = AdaptiveGeometry.Of(channels, height, width, outHeight, outWidth);
        int planes = CheckPlanes(batch, channels);
        Check(d.Length, (long)planes * g.Pooled, nameof(d));
        Check(dx.Length, (long)planes * g.Plane, nameof(dx));
        fixed (float* pd = d, px = dx)
            RowSplit.Run(new AdaptivePlanes { A = pd, Out = px, G = g, Kind = AdaptiveKind.AverageBackward }, planes, g.Plane);
    }

    /// <summary>PyTorch's adaptive window <paramref name="i"/> of <paramref name="count"/> along an axis of <paramref name="size"/>: [⌊i·size/count⌋, ⌈(i+1)·size/count⌉).</summary>
    private static (int Start, int End) AdaptiveWindow(int i, int count, int size) =>
        ((int)((long)i * size / count), (int)(((long)(i + 1) * size + count - 1) / count));

    private enum AdaptiveKind
    {
        Max,
        MaxBackward,
        Average,
        AverageBackward,
    }

    /// <summary>An adaptive pooling's image and output sizes.</summary>
    private readonly struct AdaptiveGeometry
    {
        public readonly int Height, Width, OutHeight, OutWidth;

        private AdaptiveGeometry(int h, int w, int oh, int ow) => (Height, Width, OutHeight, OutWidth) = (h, w, oh, ow);

        /// <summary>Floats of one image plane, h·w.</summary>
        public int Plane => Height * Width;

        /// <summary>Floats of one pooled plane, oh·ow.</summary>
        public int Pooled => OutHeight * OutWidth;

        public static AdaptiveGeometry Of(int c, int h, int w, int oh, int ow)
        {
            if (c < 1 || h < 1 || w < 1 || oh < 1 || ow < 1)
                throw new ArgumentException($"Adaptive pooling of [{c}, {h}, {w}] to {oh}x{ow} has a size out of range.");
            if ((long)h * w > int.MaxValue || (long)oh * ow > int.MaxValue)
                throw new ArgumentException($"An image plane of {h}x{w} or an output of {oh}x{ow} is more floats than int counts.");
            return new AdaptiveGeometry(h, w, oh, ow);
        }
    }

    /// <summary>Units are (example, channel) planes; <see cref="Kind"/> says what A, B and Out are.</summary>
    private struct AdaptivePlanes : IRowKernel
    {
        public float* A;
        public float* B;
        public float* Out;
        public AdaptiveGeometry G;
        public AdaptiveKind Kind;

        public readonly void Execute(int start, int end)
        {
            AdaptiveGeometry g = G;
            bool backward = Kind is AdaptiveKind.MaxBackward or AdaptiveKind.AverageBackward;
            for (int plane = start; plane < end; plane++)
            {
                // Forward: A the scores (or x), B the values, Out the pooled plane. Backward: A the
                // scores (or d), B the pooled gradient, Out the image's gradient.
                long image = (long)plane * g.Plane, pooled = (long)plane * g.Pooled;
                if (backward)
                    new Span<float>(Out + image, g.Plane).Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    (int top, int bottom) = AdaptiveWindow(oy, g.OutHeight, g.Height);
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        (int left, int right) = AdaptiveWindow(ox, g.OutWidth, g.Width);
                        int output = oy * g.OutWidth + ox;
                        switch (Kind)
                        {
                            case AdaptiveKind.Max:
                                Out[pooled + output] = B[image + AdaptiveFirstMaximum(A + image, g.Width, top, bottom, left, right)];
                                break;
                            case AdaptiveKind.MaxBackward:
                                Out[image + AdaptiveFirstMaximum(A + image, g.Width, top, bottom, left, right)] += B[pooled + output];
                                break;
                            case AdaptiveKind.Average:
                                Out[pooled + output] = WindowSum(A + image, g.Width, top, bottom, left, right) * WindowScale(top, bottom, left, right);
                                break;
                            default:
                                float share = A[pooled + output] * WindowScale(top, bottom, left, right);
                                for (int row = top; row < bottom; row++)
                                    for (int col = left; col < right; col++)
                                        Out[image + row * g.Width + col] += share;
                                break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>1/(rows·columns) of a window, a float division as the OpenCL and ILGPU kernels compute it.</summary>
    private static float WindowScale(int top, int bottom, int left, int right) => 1f / ((bottom - top) * (right - left));

    /// <summary>The sum of a window's pixels in row-major order.</summary>
    private static float WindowSum(float* x, int width, int top, int bottom, int left, int right)
    {
        float sum = 0f;
        for (int row = top; row < bottom; row++)
            for (int col = left; col < right; col++)
                sum += x[row * width + col];
        return sum;
    }

    /// <summary>The plane index of the first maximum of a (never empty) window in row-major order, a NaN once reached the maximum.</summary>
    private static int AdaptiveFirstMaximum(float* scores, int width, int top, int bottom, int left, int right)
    {
        int best = top * width + left;
        float bestValue = scores[best];
        for (int row = top; row < bottom; row++)
            for (int col = left; col < right; col++)
            {
                int at = row * width + col;
                float value = scores[at];
                if (value > bestValue || (float.IsNaN(value) && !float.IsNaN(bestValue)))
                {
                    best = at;
                    bestValue = value;
                }
            }
        return best;
    }
}
