using System;
using Dsl.Kernels;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Fills, copies, scales, the two-stage reductions, dropout and the optimizer updates.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, float>? _fill;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>>? _copy;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, float>? _scale;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int, int>? _groupSums;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, float>? _finishSum;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, DropoutArguments>? _dropout;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SgdArguments>? _sgdUpdate;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamArguments>? _adamUpdate;

    /// <inheritdoc/>
    protected override void FillCore(int count, float value, DeviceSlice y) =>
        PerItem(count, ref _fill, IlgpuVectorKernels.Fill, GridStride(count), count, F(y), value);

    /// <inheritdoc/>
    protected override void CopyCore(int count, DeviceSlice x, DeviceSlice y) =>
        PerItem(count, ref _copy, IlgpuVectorKernels.Copy, GridStride(count), count, F(x), F(y));

    /// <inheritdoc/>
    protected override void ScaleCore(int count, float factor, DeviceSlice x, DeviceSlice y) =>
        PerItem(count, ref _scale, IlgpuVectorKernels.Scale, GridStride(count), count, F(x), F(y), factor);

    /// <inheritdoc/>
    /// <remarks>Two stages in float, each in a fixed order: the same result every run, within float rounding of the CPU's double sum.</remarks>
    protected override void MeanCore(int count, DeviceSlice x, DeviceSlice result) => Reduce(count, square: false, count, x, result);

    /// <inheritdoc/>
    /// <remarks>Two stages in float, each in a fixed order, as <see cref="MeanCore"/>.</remarks>
    protected override void SumOfSquaresCore(int count, DeviceSlice x, DeviceSlice result) => Reduce(count, square: true, 1f, x, result);

    /// <inheritdoc/>
    protected override void DropoutCore(int count, ulong seed, uint site, uint step, ulong start, float p, DeviceSlice x, DeviceSlice y)
    {
        var arguments = new DropoutArguments(
            (uint)seed, (uint)(seed >> 32), site, step, (uint)start, (uint)(start >> 32), DropoutKernels.Threshold(p), DropoutKernels.Scale(p));
        PerItem(count, ref _dropout, IlgpuVectorKernels.Dropout, GridStride(count), count, F(x), F(y), arguments);
    }

    /// <inheritdoc/>
    protected override void SgdUpdateCore(
        int count, DeviceSlice gradientScale, float minusLearningRate, float weightDecay, float momentum, float keep, SgdUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice momentumBuffer)
    {
        var arguments = new SgdArguments(minusLearningRate, weightDecay, momentum, keep, (int)flags);
        // Without momentum the kernel never touches the buffer; the parameters stand in for it.
        DeviceSlice buffer = (flags & SgdUpdateFlags.Momentum) != 0 ? momentumBuffer : parameters;
        PerItem(
            count, ref _sgdUpdate, IlgpuOptimizerKernels.SgdUpdate, GridStride(count),
            count, F(parameters), F(gradients), F(buffer), F(gradientScale), arguments);
    }

    /// <inheritdoc/>
    protected override void AdamUpdateCore(
        int count, DeviceSlice gradientScale, float weightDecay, float decayFactor, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float inverseBias2Sqrt, float epsilon, AdamUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice firstMoment, DeviceSlice secondMoment)
    {
        var arguments = new AdamArguments(
            weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, minusStepSize, inverseBias2Sqrt, epsilon, (int)flags);
        PerItem(
            count, ref _adamUpdate, IlgpuOptimizerKernels.AdamUpdate, GridStride(count),
            count, F(parameters), F(gradients), F(firstMoment), F(secondMoment), F(gradientScale), arguments);
    }

    /// <summary>
    /// result = (Σ x[i] or Σ x[i]²) / divisor on the device: block sums into the library's partials
    /// buffer (a bounded grid of groups, each adding blocks in turn), then one thread adds them in order.
    /// </summary>
    private void Reduce(int count, bool square, float divisor, DeviceSlice x, DeviceSlice result)
    {
        int block = RowGroupSize * ItemsPerThread;
        int groups = (int)((count + (long)block - 1) / block);
        lock (_gate)
        {
            if (_partials is null || _partials.Length < groups)
            {
                // The stream runs every earlier kernel on the old buffer before the new one's zeroing.
                _partials?.Dispose();
                _partials = _device.AllocateFloats(Math.Max(groups, 1), "reduction partial sums of the ILGPU kernels");
            }

            ArrayView<float> partials = _partials.Floats(0);
            PerItem(groups, ref _groupSums, IlgpuVectorKernels.GroupSums, PerRow(groups), groups, F(x), partials, count, ItemsPerThread, square ? 1 : 0);
            PerItem(1, ref _finishSum, IlgpuVectorKernels.FinishSum, GridStride(1), partials, F(result), groups, divisor);
        }
    }
}
