using Dsl.Kernels;

namespace Dsl;

// Issue 19: BatchNorm's batch-count division, composed from Scale, which every
// device implements, so it needs no core of its own.
public abstract partial class DeviceKernels
{
    /// <summary>y[i] = x[i] / (batch·perExample + offset) for i &lt; count (y may be x): a channel's batch sum made its mean (offset 0) or its unbiased variance (offset −1).</summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="batch">The batch size of the run.</param>
    /// <param name="perExample">The values each example contributes per channel.</param>
    /// <param name="offset">0 for a mean, −1 for the unbiased variance.</param>
    /// <param name="layer">The BatchNorm layer, which the error names.</param>
    /// <param name="x">The input, count floats.</param>
    /// <param name="y">The output, count floats.</param>
    /// <exception cref="System.ArgumentException">batch·perExample + offset is not positive: one value per channel in training, as PyTorch refuses.</exception>
    public void BatchCountScale(int count, int batch, int perExample, int offset, string layer, DeviceSlice x, DeviceSlice y) =>
        Scale(count, BatchNormKernels.Factor(batch, perExample, offset, layer), x, y);
}
