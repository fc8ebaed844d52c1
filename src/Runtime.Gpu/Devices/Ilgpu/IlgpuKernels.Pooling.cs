using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 19: max and average pooling and their gradients, direct loops.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape>? _maxPool, _maxPoolBackward;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, float>? _avgPool, _avgPoolBackward;

    /// <inheritdoc/>
    protected override void MaxPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(batch * channels * shape.Oh * shape.Ow);
        PerItem(total, ref _maxPool, IlgpuPoolingKernels.MaxPool, GridStride(total), total, F(scores), F(values), F(y), shape);
    }

    /// <inheritdoc/>
    protected override void MaxPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(batch * channels * height * width);
        PerItem(total, ref _maxPoolBackward, IlgpuPoolingKernels.MaxPoolBackward, GridStride(total), total, F(scores), F(d), F(dx), shape);
    }

    /// <inheritdoc/>
    protected override void AvgPoolCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice x, DeviceSlice y)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(batch * channels * shape.Oh * shape.Ow);
        PerItem(total, ref _avgPool, IlgpuPoolingKernels.AvgPool, GridStride(total), total, F(x), F(y), shape, PoolScale(kernelHeight, kernelWidth));
    }

    /// <inheritdoc/>
    protected override void AvgPoolBackwardCore(
        int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padHeight, int padWidth, int dilationHeight, int dilationWidth, DeviceSlice d, DeviceSlice dx)
    {
        IlgpuConvolutionShape shape = Shape(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        int total = checked(batch * channels * height * width);
        PerItem(total, ref _avgPoolBackward, IlgpuPoolingKernels.AvgPoolBackward, GridStride(total), total, F(d), F(dx), shape, PoolScale(kernelHeight, kernelWidth));
    }

    /// <summary>1/(kh·kw) rounded once to float, as the CPU's average pooling scales.</summary>
    private static float PoolScale(int kernelHeight, int kernelWidth) => (float)(1.0 / ((long)kernelHeight * kernelWidth));
}
