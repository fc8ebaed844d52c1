namespace Dsl;

// Issue 19: the fused convolution cores. Issues 17/19: the tiled
// kernels of convolution_tiled.cl (OpenClKernels.TiledConvolution.cs) where a group of the GEMM's
// tile / block columns fits the kernel's work-group limit; the direct sums of convolution_fused.cl otherwise.
public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    /// <remarks>Tiled (<c>conv_tiled_forward</c>), or one work-item per output element.</remarks>
    protected override void ConvolutionForwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice x, DeviceSlice weight, DeviceSlice y)
    {
        int[] geometry = FusedGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
        if (TiledForward(batch, geometry, x, weight, y))
            return;
        RunFusedConvolution("conv_forward", (long)batch * outChannels * geometry[11] * geometry[12], geometry, x, weight, y);
    }

    /// <inheritdoc/>
    /// <remarks>Tiled (<c>conv_tiled_input_grad</c>), or one work-item per pixel; both gather the positions that read a pixel (no atomics).</remarks>
    protected override void ConvolutionInputGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx)
    {
        int[] geometry = FusedGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels);
        if (TiledInputGrad(batch, geometry, dy, weight, dx))
            return;
        RunFusedConvolution("conv_input_grad", (long)batch * channels * height * width, geometry, dy, weight, dx);
    }

    /// <inheritdoc/>
    /// <remarks>Tiled (<c>conv_tiled_weight_grad</c>, slices summed in order), or one work-item per weight; both in a fixed order.</remarks>
    protected override void ConvolutionWeightGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        if (TiledWeightGrad(batch, FusedGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels), dy, x, dw))
            return;
        int[] geometry = [.. FusedGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth, outChannels), batch];
        RunFusedConvolution("conv_weight_grad", (long)outChannels * channels * kernelHeight * kernelWidth, geometry, dy, x, dw);
    }

    /// <summary>The kernels' leading ints: the image, window, output (oh, ow) and output channels.</summary>
    private static int[] FusedGeometry(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int outChannels) =>
        [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1, outChannels];

    /// <summary>Runs a kernel of (the geometry's ints, total, two operands, result) over <paramref name="total"/> work-items.</summary>
    private void RunFusedConvolution(string name, long total, int[] geometry, DeviceSlice first, DeviceSlice second, DeviceSlice result)
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
            SetSlice(kernel, ref i, first);
            SetSlice(kernel, ref i, second);
            SetSlice(kernel, ref i, result);
            Launch(kernel, total);
        }
    }
}
