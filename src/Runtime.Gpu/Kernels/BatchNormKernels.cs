using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace Dsl.Kernels;

/// <summary>
/// BatchNorm's one kernel of its own: the division of a channel's batch sum by the number of values
/// it summed (its mean), or by one fewer (its unbiased variance). The rest of BatchNorm is sums and
/// element-wise ops (see <c>docs/layers.md</c>).
/// </summary>
public static class BatchNormKernels
{
    /// <summary>y = x / (batch·perExample + offset).</summary>
    /// <param name="x">The values (a channel's batch sums).</param>
    /// <param name="y">The result, as long as <paramref name="x"/> (may be x).</param>
    /// <param name="batch">The batch size of the run.</param>
    /// <param name="perExample">The values each example contributes per channel (H·W, L or 1).</param>
    /// <param name="offset">0 for a mean, −1 for the unbiased variance.</param>
    /// <param name="layer">The BatchNorm layer, for the error.</param>
    /// <exception cref="ArgumentException">The count is not positive: one value per channel in training.</exception>
    public static void ScaleByCount(ReadOnlySpan<float> x, Span<float> y, int batch, int perExample, int offset, string layer) =>
        TensorPrimitives.Multiply(x, Factor(batch, perExample, offset, layer), y[..x.Length]);

    /// <summary>
    /// 1 / (batch·perExample + offset), or PyTorch's error when that count is not positive: a
    /// training batch with a single value per channel has no variance (and no unbiased estimate).
    /// </summary>
    /// <param name="batch">The batch size of the run.</param>
    /// <param name="perExample">The values each example contributes per channel.</param>
    /// <param name="offset">0 for a mean, −1 for the unbiased variance.</param>
    /// <param name="layer">The BatchNorm layer, for the error.</param>
    /// <exception cref="ArgumentException">The count is not positive (PyTorch raises a ValueError).</exception>
    public static float Factor(int batch, int perExample, int offset, string layer)
    {
        long count = (long)batch * perExample + offset;
        if (count <= 0)
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "BatchNorm layer '{0}': Expected more than 1 value per channel when training, got {1} (a batch of {2} with {3} value{4} per channel each).",
                layer, batch * (long)perExample, batch, perExample, perExample == 1 ? "" : "s"));
        return (float)(1.0 / count);
    }
}
