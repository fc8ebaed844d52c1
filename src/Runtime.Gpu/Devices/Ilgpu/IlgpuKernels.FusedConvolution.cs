using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 19 (branch fusedconv): the fused convolution and its two gradients as direct sums.
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
        int total = checked(batch * outChannels * shape.Oh * shape.Ow);
        PerItem(nameof(IlgpuFusedConvolutionKernels.Forward), total, () => (_convolutionForward ??= _accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, int>(
            IlgpuFusedConvolutionKernels.Forward))(_stream, GridStride(total), total, F(x), F(weight), F(y), shape, outChannels));
    }

    /// <inheritdoc/>
    protected override void ConvolutionInputGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(batch * channels * height * width);
        PerItem(nameof(IlgpuFusedConvolutionKernels.InputGrad), total, () => (_convolutionInputGrad ??= _accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, int>(
            IlgpuFusedConvolutionKernels.InputGrad))(_stream, GridStride(total), total, F(dy), F(weight), F(dx), shape, outChannels));
    }

    /// <inheritdoc/>
    protected override void ConvolutionWeightGradCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(outChannels * shape.RowWidth);
        PerItem(nameof(IlgpuFusedConvolutionKernels.WeightGrad), total, () => (_convolutionWeightGrad ??= _accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, int, int>(
            IlgpuFusedConvolutionKernels.WeightGrad))(_stream, GridStride(total), total, F(dy), F(x), F(dw), shape, outChannels, batch));
    }
}
