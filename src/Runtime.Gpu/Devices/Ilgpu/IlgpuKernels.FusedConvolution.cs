using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 19: the fused convolution and its two gradients as direct sums. Issues
// 17/19: the tiled kernels (IlgpuKernels.TiledConvolution.cs) unless UsesDirectConvolution.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, int>? _convolutionForward, _convolutionInputGrad;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, int, int>? _convolutionWeightGrad;

    /// <inheritdoc/>
    protected override void ConvolutionForwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice x, DeviceSlice weight, DeviceSlice y)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        if (TiledForward(batch, outChannels, shape, x, weight, y))
            return;
        int total = checked(batch * outChannels * shape.Oh * shape.Ow);
        PerItem(total, ref _convolutionForward, IlgpuFusedConvolutionKernels.Forward, GridStride(total),
            total, F(x), F(weight), F(y), shape, outChannels);
    }

    /// <inheritdoc/>
    protected override void ConvolutionInputGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        if (TiledInputGrad(batch, outChannels, shape, dy, weight, dx))
            return;
        int total = checked(batch * channels * height * width);
        PerItem(total, ref _convolutionInputGrad, IlgpuFusedConvolutionKernels.InputGrad, GridStride(total),
            total, F(dy), F(weight), F(dx), shape, outChannels);
    }

    /// <inheritdoc/>
    protected override void ConvolutionWeightGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        if (TiledWeightGrad(batch, outChannels, shape, dy, x, dw))
            return;
        int total = checked(outChannels * shape.RowWidth);
        PerItem(total, ref _convolutionWeightGrad, IlgpuFusedConvolutionKernels.WeightGrad, GridStride(total),
            total, F(dy), F(x), F(dw), shape, outChannels, batch);
    }
}
