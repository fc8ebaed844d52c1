using System;

namespace Dsl;

// Issue 19: the fused per-example convolution, its input and weight gradients.
public abstract partial class DeviceKernels
{
    /// <summary>
    /// y[e] = W·cols(x[e]), [out, oh·ow] per example, channels first: y[e, o, p] = Σ_t W[o, t]·x[e] at
    /// tap t = (c·kh + i)·kw + j of position p, zero in the padding (<c>Convolution.Forward</c>).
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
    /// <param name="outChannels">out, the rows of the weight.</param>
    /// <param name="x">The images, batch·channels·height·width floats.</param>
    /// <param name="weight">W, out·channels·kh·kw floats.</param>
    /// <param name="y">The result, batch·out·oh·ow floats (overwritten).</param>
    public void ConvolutionForward(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice x, DeviceSlice weight, DeviceSlice y)
    {
        FusedConvolutionExtent g = FusedConvolutionExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
        CheckFloats(x, g.Image, nameof(x));
        CheckFloats(weight, g.Weight, nameof(weight));
        CheckFloats(y, g.Output, nameof(y));
        ConvolutionForwardCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels, x, weight, y);
    }

    /// <summary>Computes <see cref="ConvolutionForward"/> on validated operands.</summary>
    protected abstract void ConvolutionForwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice x, DeviceSlice weight, DeviceSlice y);

    /// <summary>
    /// x̄[e] = col2im(Wᵀ·ȳ[e]): the transpose of <see cref="ConvolutionForward"/> in x (<c>Convolution.InputGradient</c>).
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
    /// <param name="outChannels">out, the rows of the weight.</param>
    /// <param name="dy">ȳ, batch·out·oh·ow floats.</param>
    /// <param name="weight">W, out·channels·kh·kw floats.</param>
    /// <param name="dx">x̄, batch·channels·height·width floats (overwritten).</param>
    public void ConvolutionInputGrad(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx)
    {
        FusedConvolutionExtent g = FusedConvolutionExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
        CheckFloats(dy, g.Output, nameof(dy));
        CheckFloats(weight, g.Weight, nameof(weight));
        CheckFloats(dx, g.Image, nameof(dx));
        ConvolutionInputGradCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels, dy, weight, dx);
    }

    /// <summary>Computes <see cref="ConvolutionInputGrad"/> on validated operands.</summary>
    protected abstract void ConvolutionInputGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx);

    /// <summary>
    /// W̄ = Σ_e ȳ[e]·cols(x[e])ᵀ: the transpose of <see cref="ConvolutionForward"/> in W, the same
    /// bits however the work is split (<c>Convolution.WeightGradient</c>).
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
    /// <param name="outChannels">out, the rows of the weight.</param>
    /// <param name="dy">ȳ, batch·out·oh·ow floats.</param>
    /// <param name="x">The images, batch·channels·height·width floats.</param>
    /// <param name="dw">W̄, out·channels·kh·kw floats (overwritten).</param>
    public void ConvolutionWeightGrad(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        FusedConvolutionExtent g = FusedConvolutionExtent.Of(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
        CheckFloats(dy, g.Output, nameof(dy));
        CheckFloats(x, g.Image, nameof(x));
        CheckFloats(dw, g.Weight, nameof(dw));
        ConvolutionWeightGradCore(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels, dy, x, dw);
    }

    /// <summary>Computes <see cref="ConvolutionWeightGrad"/> on validated operands.</summary>
    protected abstract void ConvolutionWeightGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw);

    /// <summary>The element counts of a fused convolution's images, weight and output, after checking its sizes.</summary>
    private readonly record struct FusedConvolutionExtent(long Image, long Weight, long Output)
    {
        public static FusedConvolutionExtent Of(int batch, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int outChannels)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1, nameof(outChannels));
            ConvolutionExtent g = ConvolutionExtent.Of(batch, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
            return new FusedConvolutionExtent(g.Image, (long)outChannels * c * kh * kw, (long)batch * outChannels * g.Positions);
        }
    }
}
