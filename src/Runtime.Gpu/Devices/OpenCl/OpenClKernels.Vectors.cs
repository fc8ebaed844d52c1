namespace Dsl;

public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    protected override void FillCore(int count, float value, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["fill"];
            int i = 0;
            kernel.SetArg(i++, count);
            kernel.SetArg(i++, value);
            SetSlice(kernel, ref i, y);
            Launch(kernel, count);
        }
    }

    /// <inheritdoc/>
    protected override void CopyCore(int count, DeviceSlice x, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["copy"];
            int i = 0;
            kernel.SetArg(i++, count);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, count);
        }
    }

    /// <inheritdoc/>
    protected override void ScaleCore(int count, float factor, DeviceSlice x, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["scale"];
            int i = 0;
            kernel.SetArg(i++, count);
            kernel.SetArg(i++, factor);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, count);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Two stages in float, each in a fixed order: the same result every run, within float rounding of the CPU's double sum.</remarks>
    protected override void MeanCore(int count, DeviceSlice x, DeviceSlice result) => Reduce(count, square: false, count, x, result);

    /// <inheritdoc/>
    /// <remarks>Two stages in float, each in a fixed order, as <see cref="MeanCore"/>.</remarks>
    protected override void SumOfSquaresCore(int count, DeviceSlice x, DeviceSlice result) => Reduce(count, square: true, 1f, x, result);

    /// <inheritdoc/>
    protected override void SgdUpdateCore(
        int count, DeviceSlice gradientScale, float minusLearningRate, float weightDecay, float momentum, float keep, SgdUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice momentumBuffer)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["sgd_update_slices"];
            int i = 0;
            kernel.SetArg(i++, count);
            SetSlice(kernel, ref i, gradientScale);
            kernel.SetArg(i++, minusLearningRate);
            kernel.SetArg(i++, weightDecay);
            kernel.SetArg(i++, momentum);
            kernel.SetArg(i++, keep);
            kernel.SetArg(i++, (int)flags);
            SetSlice(kernel, ref i, parameters);
            SetSlice(kernel, ref i, gradients);
            // Without momentum the kernel never touches the buffer; the parameters stand in for it.
            SetSlice(kernel, ref i, (flags & SgdUpdateFlags.Momentum) != 0 ? momentumBuffer : parameters);
            Launch(kernel, count);
        }
    }

    /// <inheritdoc/>
    protected override void AdamUpdateCore(
        int count, DeviceSlice gradientScale, float weightDecay, float decayFactor, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float inverseBias2Sqrt, float epsilon, AdamUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice firstMoment, DeviceSlice secondMoment)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["adam_update_slices"];
            int i = 0;
            kernel.SetArg(i++, count);
            SetSlice(kernel, ref i, gradientScale);
            kernel.SetArg(i++, weightDecay);
            kernel.SetArg(i++, decayFactor);
            kernel.SetArg(i++, oneMinusBeta1);
            kernel.SetArg(i++, beta2);
            kernel.SetArg(i++, oneMinusBeta2);
            kernel.SetArg(i++, minusStepSize);
            kernel.SetArg(i++, inverseBias2Sqrt);
            kernel.SetArg(i++, epsilon);
            kernel.SetArg(i++, (int)flags);
            SetSlice(kernel, ref i, parameters);
            SetSlice(kernel, ref i, gradients);
            SetSlice(kernel, ref i, firstMoment);
            SetSlice(kernel, ref i, secondMoment);
            Launch(kernel, count);
        }
    }

    /// <summary>
    /// result = (Σ x[i] or Σ x[i]²) / divisor on the device: work-group sums into the library's
    /// partials buffer, then one work-item adds them in order.
    /// </summary>
    private void Reduce(int count, bool square, float divisor, DeviceSlice x, DeviceSlice result)
    {
        int block = _reductionGroup * ItemsPerWorkItem;
        int groups = (int)((count + (long)block - 1) / block);
        lock (_gate)
        {
            if (_partials is null || _partials.Count < groups)
            {
                // The in-order queue runs every earlier kernel on the old buffer before its next owner's fill.
                _partials?.Dispose();
                _partials = _device.AllocateFloats(System.Math.Max(groups, 1), "reduction partial sums of " + ProgramName);
            }

            OpenClKernel sums = _kernels["group_sums"];
            int i = 0;
            sums.SetArg(i++, count);
            sums.SetArg(i++, ItemsPerWorkItem);
            sums.SetArg(i++, square ? 1 : 0);
            SetSlice(sums, ref i, x);
            sums.SetArg(i++, _partials);
            sums.SetLocalArg(i, _reductionGroup * sizeof(float));
            sums.Launch(groups * _reductionGroup, _reductionGroup);

            OpenClKernel finish = _kernels["finish_sum"];
            i = 0;
            finish.SetArg(i++, groups);
            finish.SetArg(i++, _partials);
            finish.SetArg(i++, divisor);
            SetSlice(finish, ref i, result);
            finish.Launch(1);
        }
    }
}
