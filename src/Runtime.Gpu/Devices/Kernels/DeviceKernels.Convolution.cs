using System;

namespace Dsl;

// Issue 19: the convolution and pooling kernels (Dsl.Kernels.Convolution on the CPU).
public abstract partial class DeviceKernels
{
    /// <summary>
    /// cols[e, oy·ow + ox, (c·kh + i)·kw + j] = x[e, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw], zero in
    /// the padding: each output position's receptive field as one row (<c>Convolution.Im2Col</c>).
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
    /// <param name="cols">The rows, batch·oh·ow·channels·kh·kw floats.</param>
    public void Im2Col(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice cols)
    {
        var g = ConvolutionExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(x, g.Image, nameof(x));
        CheckFloats(cols, g.Columns, nameof(cols));
        Im2ColCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, x, cols);
    }

    /// <summary>
    /// x[e, c, y, x] = the sum of the rows' elements that <see cref="Im2Col"/> read from pixel (y, x):
    /// its transpose, a convolution's input gradient (<c>Convolution.Col2Im</c>).
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
    /// <param name="cols">The rows, batch·oh·ow·channels·kh·kw floats.</param>
    /// <param name="x">The images, batch·channels·height·width floats (overwritten).</param>
    public void Col2Im(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice cols, DeviceSlice x)
    {
        var g = ConvolutionExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        CheckFloats(cols, g.Columns, nameof(cols));
        CheckFloats(x, g.Image, nameof(x));
        Col2ImCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, cols, x);
    }

    /// <summary>Computes <see cref="Im2Col"/> on validated operands.</summary>
    protected abstract void Im2ColCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice cols);

    /// <summary>Computes <see cref="Col2Im"/> on validated operands.</summary>
    protected abstract void Col2ImCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice cols, DeviceSlice x);

    /// <summary>The element counts of a convolution's images and rows, and one example's output positions (oh·ow), after checking its sizes.</summary>
    private readonly record struct ConvolutionExtent(long Image, long Columns, long Positions)
    {
        public static ConvolutionExtent Of(int batch, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
        {
            CheckSize(batch, nameof(batch));
            CheckSize(ph, "padHeight");
            CheckSize(pw, "padWidth");
            foreach ((int value, string name) in new[] { (c, "channels"), (h, "height"), (w, "width"), (kh, "kernelHeight"), (kw, "kernelWidth"), (sh, "strideHeight"), (sw, "strideWidth"), (dh, "dilationHeight"), (dw, "dilationWidth") })
                ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
            long oh = (h + 2L * ph - (long)dh * (kh - 1) - 1) / sh + 1, ow = (w + 2L * pw - (long)dw * (kw - 1) - 1) / sw + 1;
            if (h + 2L * ph < (long)dh * (kh - 1) + 1 || w + 2L * pw < (long)dw * (kw - 1) + 1)
                throw new ArgumentException($"The kernel {kh}x{kw} (dilation {dh}x{dw}) is larger than the padded input {h + 2L * ph}x{w + 2L * pw}.");
            return new ConvolutionExtent((long)batch * c * h * w, (long)batch * oh * ow * c * kh * kw, oh * ow);
        }
    }
}
