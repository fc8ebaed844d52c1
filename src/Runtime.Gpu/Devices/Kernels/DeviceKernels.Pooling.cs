using System;

namespace Dsl;

// Issue 19: pooling reduced window by window where it lies, and its gradients.
public abstract partial class DeviceKernels
{
    /// <summary>
    /// y[e, c, oy, ox] = values[e, c] at the first maximum of scores[e, c] in window (oy, ox), in
    /// window order, padding never chosen, a NaN once reached the maximum (<c>Pooling.MaxPool</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
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
    /// <param name="scores">What chooses each tap, batch·channels·height·width floats.</param>
    /// <param name="values">What is taken there, batch·channels·height·width floats.</param>
    /// <param name="y">The pooled images, batch·channels·oh·ow floats (overwritten).</param>
    public void MaxPool(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y)
    {
        PoolExtent g = PoolExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(scores, g.Image, nameof(scores));
        CheckFloats(values, g.Image, nameof(values));
        CheckFloats(y, g.Pooled, nameof(y));
        MaxPoolCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, scores, values, y);
    }

    /// <summary>Computes <see cref="MaxPool"/> on validated operands.</summary>
    protected abstract void MaxPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y);

    /// <summary>
    /// dx[e, c] = each d[e, c, oy, ox] added at the first maximum of scores[e, c] in window (oy, ox),
    /// zero where no window chose a pixel: the transpose of <see cref="MaxPool"/> in its values (<c>Pooling.MaxPoolBackward</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
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
    /// <param name="scores">What chose each tap, batch·channels·height·width floats.</param>
    /// <param name="d">The pooled gradient, batch·channels·oh·ow floats.</param>
    /// <param name="dx">The gradient of the images, batch·channels·height·width floats (overwritten).</param>
    public void MaxPoolBackward(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx)
    {
        PoolExtent g = PoolExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(scores, g.Image, nameof(scores));
        CheckFloats(d, g.Pooled, nameof(d));
        CheckFloats(dx, g.Image, nameof(dx));
        MaxPoolBackwardCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, scores, d, dx);
    }

    /// <summary>Computes <see cref="MaxPoolBackward"/> on validated operands.</summary>
    protected abstract void MaxPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx);

    /// <summary>
    /// y[e, c, oy, ox] = the sum of window (oy, ox) of x[e, c], padding as zeros, times 1/(kh·kw)
    /// (count_include_pad; <c>Pooling.AvgPool</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
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
    /// <param name="x">The images, batch·channels·height·width floats.</param>
    /// <param name="y">The pooled images, batch·channels·oh·ow floats (overwritten).</param>
    public void AvgPool(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice y)
    {
        PoolExtent g = PoolExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(x, g.Image, nameof(x));
        CheckFloats(y, g.Pooled, nameof(y));
        AvgPoolCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, x, y);
    }

    /// <summary>Computes <see cref="AvgPool"/> on validated operands.</summary>
    protected abstract void AvgPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice y);

    /// <summary>
    /// dx[e, c] = Σ over the windows covering each pixel of d[e, c, oy, ox]·1/(kh·kw): the transpose
    /// of <see cref="AvgPool"/> (<c>Pooling.AvgPoolBackward</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
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
    /// <param name="d">The pooled gradient, batch·channels·oh·ow floats.</param>
    /// <param name="dx">The gradient of the images, batch·channels·height·width floats (overwritten).</param>
    public void AvgPoolBackward(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice d, DeviceSlice dx)
    {
        PoolExtent g = PoolExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(d, g.Pooled, nameof(d));
        CheckFloats(dx, g.Image, nameof(dx));
        AvgPoolBackwardCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, d, dx);
    }

    /// <summary>Computes <see cref="AvgPoolBackward"/> on validated operands.</summary>
    protected abstract void AvgPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice d, DeviceSlice dx);

    /// <summary>The element counts of a pooling's images and pooled images, after checking its sizes.</summary>
    private readonly record struct PoolExtent(long Image, long Pooled)
    {
        public static PoolExtent Of(int batch, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            CheckSize(batch, nameof(batch));
            CheckSize(ph, "padHeight");
            CheckSize(pw, "padWidth");
            foreach ((int value, string name) in new[] { (c, "channels"), (h, "height"), (w, "width"), (kh, "kernelHeight"), (kw, "kernelWidth"), (sh, "strideHeight"), (sw, "strideWidth"), (dh, "dilationHeight"), (dw, "dilationWidth") })
                ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
            if (h + 2L * ph < (long)dh * (kh - 1) + 1 || w + 2L * pw < (long)dw * (kw - 1) + 1)
                throw new ArgumentException($"The window {kh}x{kw} (dilation {dh}x{dw}) is larger than the padded input {h + 2L * ph}x{w + 2L * pw}.");
            long oh = (h + 2L * ph - (long)dh * (kh - 1) - 1) / sh + 1, ow = (w + 2L * pw - (long)dw * (kw - 1) - 1) / sw + 1;
            return new PoolExtent((long)batch * c * h * w, (long)batch * c * oh * ow);
        }
    }
}
