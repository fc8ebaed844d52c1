namespace Dsl;

// Issue 19: the pooling cores (pooling.cl), one work-item per output or per pixel.
public sealed partial class OpenClKernels
{
    /// <summary>The kernels of pooling.cl, created with the library's (the adaptive ones: OpenClKernels.AdaptivePooling.cs).</summary>
    private static readonly string[] PoolingKernelNames =
    [
        "max_pool", "max_pool_backward", "avg_pool", "avg_pool_backward",
        "adaptive_max_pool", "adaptive_max_pool_backward", "adaptive_avg_pool", "adaptive_avg_pool_backward",
    ];

    /// <inheritdoc/>
    /// <remarks>One work-item per output.</remarks>
    protected override void MaxPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y)
    {
        int[] geometry = PoolGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        RunPooling("max_pool", (long)batch * channels * geometry[11] * geometry[12], geometry, null, scores, values, y);
    }

    /// <inheritdoc/>
    /// <remarks>One work-item per pixel, gathering the windows whose first maximum it is (no atomics).</remarks>
    protected override void MaxPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx)
    {
        int[] geometry = PoolGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        RunPooling("max_pool_backward", (long)batch * channels * height * width, geometry, null, scores, d, dx);
    }

    /// <inheritdoc/>
    /// <remarks>One work-item per output.</remarks>
    protected override void AvgPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice y)
    {
        int[] geometry = PoolGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        RunPooling("avg_pool", (long)batch * channels * geometry[11] * geometry[12], geometry, Reciprocal(kernelHeight, kernelWidth), x, y);
    }

    /// <inheritdoc/>
    /// <remarks>One work-item per pixel, gathering the windows that cover it.</remarks>
    protected override void AvgPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice d, DeviceSlice dx)
    {
        int[] geometry = PoolGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        RunPooling("avg_pool_backward", (long)batch * channels * height * width, geometry, Reciprocal(kernelHeight, kernelWidth), d, dx);
    }

    /// <summary>The kernels' leading ints: the image, the window and the output (oh, ow).</summary>
    private static int[] PoolGeometry(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) =>
        [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1];

    /// <summary>1/(kh·kw) rounded once to float, as the CPU's average pooling scales.</summary>
    private static float Reciprocal(int kernelHeight, int kernelWidth) => (float)(1.0 / ((long)kernelHeight * kernelWidth));

    /// <summary>Runs a kernel of (the geometry's ints, total, the scale when given, the operands) over <paramref name="total"/> work-items.</summary>
    private void RunPooling(string name, long total, int[] geometry, float? scale, params DeviceSlice[] operands)
    {
        if (total == 0)
            return;
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            foreach (int size in geometry)
                kernel.SetArg(i++, size);
            kernel.SetArg(i++, checked((int)total));
            if (scale is float factor)
                kernel.SetArg(i++, factor);
            foreach (DeviceSlice operand in operands)
                SetSlice(kernel, ref i, operand);
            Launch(kernel, total);
        }
    }
}
