using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Convolution and pooling: im2col and its transpose col2im (max-pooling's mask is ArgMaxMask's kernel).
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape>? _im2Col, _col2Im;

    /// <inheritdoc/>
    protected override void Im2ColCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice cols)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        long total = (long)batch * shape.Oh * shape.Ow * shape.RowWidth;
        PerItem(total, ref _im2Col, IlgpuConvolutionKernels.Im2Col, GridStride(checked((int)total)), checked((int)total), F(x), F(cols), shape);
    }

    /// <inheritdoc/>
    protected override void Col2ImCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice cols, DeviceSlice x)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        long total = (long)batch * channels * height * width;
        PerItem(total, ref _col2Im, IlgpuConvolutionKernels.Col2Im, GridStride(checked((int)total)), checked((int)total), F(cols), F(x), shape);
    }

    // The public methods have checked the geometry, so the output has at least one row and column.
    private static IlgpuConvolutionShape Shape(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) =>
        new(c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ((h + (2 * ph) - (dh * (kh - 1)) - 1) / sh) + 1, ((w + (2 * pw) - (dw * (kw - 1)) - 1) / sw) + 1);
}
