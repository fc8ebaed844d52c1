using Dsl.Kernels;

namespace Dsl;

// Issue 19: the fused convolution cores (Dsl.Kernels.Convolution.Forward and its gradients).
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void ConvolutionForwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice x, DeviceSlice weight, DeviceSlice y) =>
        Convolution.Forward(F(x), F(weight), F(y), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);

    /// <inheritdoc/>
    protected override void ConvolutionInputGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx) =>
        Convolution.InputGradient(F(dy), F(weight), F(dx), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);

    /// <inheritdoc/>
    protected override void ConvolutionWeightGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw) =>
        Convolution.WeightGradient(F(dy), F(x), F(dw), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
}
