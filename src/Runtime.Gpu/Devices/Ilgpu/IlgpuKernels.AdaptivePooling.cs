using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 19: adaptive max and average pooling and their gradients over PyTorch's windows, direct loops.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuAdaptiveShape>? _adaptiveMaxPool, _adaptiveMaxPoolBackward;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, IlgpuAdaptiveShape>? _adaptiveAvgPool, _adaptiveAvgPoolBackward;

    /// <inheritdoc/>
    protected override void AdaptiveMaxPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice values, DeviceSlice y)
    {
        int total = checked(batch * channels * outHeight * outWidth);
        PerItem(total, ref _adaptiveMaxPool, IlgpuAdaptivePoolingKernels.AdaptiveMaxPool, GridStride(total), total, F(scores), F(values), F(y), new IlgpuAdaptiveShape(height, width, outHeight, outWidth));
    }

    /// <inheritdoc/>
    protected override void AdaptiveMaxPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice scores, DeviceSlice d, DeviceSlice dx)
    {
        int total = checked(batch * channels * height * width);
        PerItem(total, ref _adaptiveMaxPoolBackward, IlgpuAdaptivePoolingKernels.AdaptiveMaxPoolBackward, GridStride(total), total, F(scores), F(d), F(dx), new IlgpuAdaptiveShape(height, width, outHeight, outWidth));
    }

    /// <inheritdoc/>
    protected override void AdaptiveAvgPoolCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice x, DeviceSlice y)
    {
        int total = checked(batch * channels * outHeight * outWidth);
        PerItem(total, ref _adaptiveAvgPool, IlgpuAdaptivePoolingKernels.AdaptiveAvgPool, GridStride(total), total, F(x), F(y), new IlgpuAdaptiveShape(height, width, outHeight, outWidth));
    }

    /// <inheritdoc/>
    protected override void AdaptiveAvgPoolBackwardCore(int batch, int channels, int height, int width, int outHeight, int outWidth, DeviceSlice d, DeviceSlice dx)
    {
        int total = checked(batch * channels * height * width);
        PerItem(total, ref _adaptiveAvgPoolBackward, IlgpuAdaptivePoolingKernels.AdaptiveAvgPoolBackward, GridStride(total), total, F(d), F(dx), new IlgpuAdaptiveShape(height, width, outHeight, outWidth));
    }
}
