namespace Dsl;

// Issue 19: the convolution cores (convolution.cl).
public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    /// <remarks>One work-item per element of the columns.</remarks>
    protected override void Im2ColCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice cols)
    {
        int oh = (height + 2 * padHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1;
        int ow = (width + 2 * padWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;
        RunConvolution("im2col", (long)batch * oh * ow * channels * kernelHeight * kernelWidth,
            [channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, oh, ow], x, cols);
    }

    /// <inheritdoc/>
    /// <remarks>One work-item per pixel, gathering what im2col read from it (no atomics).</remarks>
    protected override void Col2ImCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice cols, DeviceSlice x)
    {
        int oh = (height + 2 * padHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1;
        int ow = (width + 2 * padWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;
        RunConvolution("col2im", (long)batch * channels * height * width,
            [channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, oh, ow], cols, x);
    }

    /// <summary>Runs a kernel of (the geometry's ints, total, source, result) over <paramref name="total"/> work-items.</summary>
    private void RunConvolution(string name, long total, int[] geometry, DeviceSlice source, DeviceSlice result)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            foreach (int size in geometry)
                kernel.SetArg(i++, size);
            kernel.SetArg(i++, checked((int)total));
            SetSlice(kernel, ref i, source);
            SetSlice(kernel, ref i, result);
            Launch(kernel, total);
        }
    }
}
