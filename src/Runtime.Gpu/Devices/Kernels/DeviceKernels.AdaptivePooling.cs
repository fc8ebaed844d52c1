using System;

namespace Dsl;

// Issue 19: adaptive pooling over PyTorch's windows (rows ⌊oy·H/OH⌋ to ⌈(oy+1)·H/OH⌉ − 1, the
// columns likewise), which vary in size and overlap where the output does not divide the image.
public abstract partial class DeviceKernels
{
    /// <summary>
    /// y[e, c, oy, ox] = values[e, c] at the first maximum of scores[e, c] in adaptive window (oy, ox),
    /// in row-major order, a NaN once reached the maximum (<c>Pooling.AdaptiveMaxPool</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <param name="scores">What chooses each tap, batch·channels·height·width floats.</param>
    /// <param name="values">What is taken there, batch·channels·height·width floats.</param>
    /// <param name="y">The pooled images, batch·channels·outHeight·outWidth floats (overwritten).</param>
    public void AdaptiveMaxPool(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y)
    {
        AdaptiveExtent g = AdaptiveExtent.Of(batch, channels, height, width, outHeight, outWidth);
        CheckFloats(scores, g.Image, nameof(scores));
        CheckFloats(values, g.Image, nameof(values));
        CheckFloats(y, g.Pooled, nameof(y));
        AdaptiveMaxPoolCore(batch, channels, height, width, outHeight, outWidth, scores, values, y);
    }

    /// <summary>Computes <see cref="AdaptiveMaxPool"/> on validated operands.</summary>
    protected abstract void AdaptiveMaxPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y);

    /// <summary>
    /// dx[e, c] = each d[e, c, oy, ox] added at the first maximum of scores[e, c] in adaptive window
    /// (oy, ox), zero where no window chose a pixel: the transpose of <see cref="AdaptiveMaxPool"/> in
    /// its values (<c>Pooling.AdaptiveMaxPoolBackward</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <param name="scores">What chose each tap, batch·channels·height·width floats.</param>
    /// <param name="d">The pooled gradient, batch·channels·outHeight·outWidth floats.</param>
    /// <param name="dx">The gradient of the images, batch·channels·height·width floats (overwritten).</param>
    public void AdaptiveMaxPoolBackward(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx)
    {
        AdaptiveExtent g = AdaptiveExtent.Of(batch, channels, height, width, outHeight, outWidth);
        CheckFloats(scores, g.Image, nameof(scores));
        CheckFloats(d, g.Pooled, nameof(d));
        CheckFloats(dx, g.Image, nameof(dx));
        AdaptiveMaxPoolBackwardCore(batch, channels, height, width, outHeight, outWidth, scores, d, dx);
    }

    /// <summary>Computes <see cref="AdaptiveMaxPoolBackward"/> on validated operands.</summary>
    protected abstract void AdaptiveMaxPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx);

    /// <summary>
    /// y[e, c, oy, ox] = the sum of adaptive window (oy, ox) of x[e, c] times 1/(its rows·its
    /// columns) (<c>Pooling.AdaptiveAvgPool</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <param name="x">The images, batch·channels·height·width floats.</param>
    /// <param name="y">The pooled images, batch·channels·outHeight·outWidth floats (overwritten).</param>
    public void AdaptiveAvgPool(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice x, DeviceSlice y)
    {
        AdaptiveExtent g = AdaptiveExtent.Of(batch, channels, height, width, outHeight, outWidth);
        CheckFloats(x, g.Image, nameof(x));
        CheckFloats(y, g.Pooled, nameof(y));
        AdaptiveAvgPoolCore(batch, channels, height, width, outHeight, outWidth, x, y);
    }

    /// <summary>Computes <see cref="AdaptiveAvgPool"/> on validated operands.</summary>
    protected abstract void AdaptiveAvgPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice x, DeviceSlice y);

    /// <summary>
    /// dx[e, c] = Σ over the adaptive windows covering each pixel of d[e, c, oy, ox] times 1/(the
    /// window's size): the transpose of <see cref="AdaptiveAvgPool"/> (<c>Pooling.AdaptiveAvgPoolBackward</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="outHeight">Rows of the output.</param>
    /// <param name="outWidth">Columns of the output.</param>
    /// <param name="d">The pooled gradient, batch·channels·outHeight·outWidth floats.</param>
    /// <param name="dx">The gradient of the images, batch·channels·height·width floats (overwritten).</param>
    public void AdaptiveAvgPoolBackward(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice d, DeviceSlice dx)
    {
        AdaptiveExtent g = AdaptiveExtent.Of(batch, channels, height, width, outHeight, outWidth);
        CheckFloats(d, g.Pooled, nameof(d));
        CheckFloats(dx, g.Image, nameof(dx));
        AdaptiveAvgPoolBackwardCore(batch, channels, height, width, outHeight, outWidth, d, dx);
    }

    /// <summary>Computes <see cref="AdaptiveAvgPoolBackward"/> on validated operands.</summary>
    protected abstract void AdaptiveAvgPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice d, DeviceSlice dx);

    /// <summary>The element counts of an adaptive pooling's images and pooled images, after checking its sizes.</summary>
    private readonly record struct AdaptiveExtent(long Image, long Pooled)
    {
        public static AdaptiveExtent Of(int batch, int c, int h, int w, int oh, int ow)
        {
            CheckSize(batch, nameof(batch));
            foreach ((int value, string name) in new[] { (c, "channels"), (h, "height"), (w, "width"), (oh, "outHeight"), (ow, "outWidth") })
                ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
            return new AdaptiveExtent((long)batch * c * h * w, (long)batch * c * oh * ow);
        }
    }
}
