namespace Dsl;

// Issue 19: the adaptive pooling cores (pooling.cl), one work-item per output or per pixel.
public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    /// <remarks>One work-item per output.</remarks>
    protected override void AdaptiveMaxPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y) =>
        RunPooling("adaptive_max_pool", (long)batch * channels * outHeight * outWidth, [channels, height, width, outHeight, outWidth], null, scores, values, y);

    /// <inheritdoc/>
    /// <remarks>One work-item per pixel, gathering the windows whose first maximum it is (no atomics).</remarks>
    protected override void AdaptiveMaxPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx) =>
        RunPooling("adaptive_max_pool_backward", (long)batch * channels * height * width, [channels, height, width, outHeight, outWidth], null, scores, d, dx);

    /// <inheritdoc/>
    /// <remarks>One work-item per output.</remarks>
    protected override void AdaptiveAvgPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice x, DeviceSlice y) =>
        RunPooling("adaptive_avg_pool", (long)batch * channels * outHeight * outWidth, [channels, height, width, outHeight, outWidth], null, x, y);

    /// <inheritdoc/>
    /// <remarks>One work-item per pixel, gathering the windows that cover it.</remarks>
    protected override void AdaptiveAvgPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice d, DeviceSlice dx) =>
        RunPooling("adaptive_avg_pool_backward", (long)batch * channels * height * width, [channels, height, width, outHeight, outWidth], null, d, dx);
}
