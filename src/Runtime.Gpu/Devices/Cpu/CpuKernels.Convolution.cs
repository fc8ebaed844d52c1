using Dsl.Kernels;

namespace Dsl;

// Issue 19: the convolution cores.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void Im2ColCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice cols) =>
        Convolution.Im2Col(F(x), F(cols), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);

    /// <inheritdoc/>
    protected override void Col2ImCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice cols, DeviceSlice x) =>
        Convolution.Col2Im(F(cols), F(x), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
}
