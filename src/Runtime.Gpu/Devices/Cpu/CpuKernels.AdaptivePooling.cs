using Dsl.Kernels;

namespace Dsl;

// Issue 19: the adaptive pooling cores, Dsl.Kernels.Pooling.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void AdaptiveMaxPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y) =>
        Pooling.AdaptiveMaxPool(F(scores), F(values), F(y), batch, channels, height, width, outHeight, outWidth);

    /// <inheritdoc/>
    protected override void AdaptiveMaxPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx) =>
        Pooling.AdaptiveMaxPoolBackward(F(scores), F(d), F(dx), batch, channels, height, width, outHeight, outWidth);

    /// <inheritdoc/>
    protected override void AdaptiveAvgPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice x, DeviceSlice y) =>
        Pooling.AdaptiveAvgPool(F(x), F(y), batch, channels, height, width, outHeight, outWidth);

    /// <inheritdoc/>
    protected override void AdaptiveAvgPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice d, DeviceSlice dx) =>
        Pooling.AdaptiveAvgPoolBackward(F(d), F(dx), batch, channels, height, width, outHeight, outWidth);
}
