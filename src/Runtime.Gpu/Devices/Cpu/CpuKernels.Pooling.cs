using Dsl.Kernels;

namespace Dsl;

// Issue 19: the pooling cores, Dsl.Kernels.Pooling.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void MaxPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y) =>
        Pooling.MaxPool(F(scores), F(values), F(y), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);

    /// <inheritdoc/>
    protected override void MaxPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx) =>
        Pooling.MaxPoolBackward(F(scores), F(d), F(dx), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);

    /// <inheritdoc/>
    protected override void AvgPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice y) =>
        Pooling.AvgPool(F(x), F(y), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);

    /// <inheritdoc/>
    protected override void AvgPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice d, DeviceSlice dx) =>
        Pooling.AvgPoolBackward(F(d), F(dx), batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
}
