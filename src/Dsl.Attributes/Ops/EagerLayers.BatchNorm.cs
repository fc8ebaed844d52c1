using System;

namespace Dsl;

// BatchNorm (issue 19) for one example: eval mode, since an example alone has no batch
// statistics; the compiled training step computes those.
public static partial class EagerLayers
{
    /// <summary>
    /// Batch normalisation in eval mode, as <c>torch.nn.BatchNorm1d/2d</c> after <c>.eval()</c>:
    /// <c>y[c, ...] = (x[c, ...] − runningMean[c]) / √(runningVar[c] + ε) · weight[c] + bias[c]</c>, ε = 1e-5.
    /// </summary>
    /// <param name="x">One example, <c>[C]</c>, <c>[C, L]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="weight">The scale, <c>[C]</c>.</param>
    /// <param name="bias">The shift, <c>[C]</c>.</param>
    /// <param name="runningMean">The running mean, <c>[C]</c>.</param>
    /// <param name="runningVar">The running variance, <c>[C]</c>.</param>
    /// <returns>The normalised example, shaped as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public static Tensor BatchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        return BatchNorm(x, weight, bias, runningMean, runningVar, BatchNorm2dAttribute.Epsilon);
    }

    /// <summary>
    /// Batch normalisation in eval mode with a given ε, and without a weight and bias when they are null
    /// (<c>affine = False</c>): <c>y[c, ...] = (x[c, ...] − runningMean[c]) / √(runningVar[c] + ε) · weight[c] + bias[c]</c>.
    /// </summary>
    /// <param name="x">One example, <c>[C]</c>, <c>[C, L]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="weight">The scale, <c>[C]</c>, or null for 1.</param>
    /// <param name="bias">The shift, <c>[C]</c>, or null for 0.</param>
    /// <param name="runningMean">The running mean, <c>[C]</c>.</param>
    /// <param name="runningVar">The running variance, <c>[C]</c>.</param>
    /// <param name="epsilon">Added to the variance; positive.</param>
    /// <returns>The normalised example, shaped as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public static Tensor BatchNorm(Tensor x, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        int channels = x.Rank == 0 ? 0 : x.ShapeArray[0];
        if (x.Rank == 0 || runningMean.Rank != 1 || runningMean.Length != channels || runningVar.Length != channels
            || (weight is not null && weight.Length != channels) || (bias is not null && bias.Length != channels))
        {
            throw new ArgumentException($"BatchNorm: input {x.ShapeText} must be [C, ...] and weight {weight?.ShapeText ?? "(none)"}, bias {bias?.ShapeText ?? "(none)"}, running_mean {runningMean.ShapeText} and running_var {runningVar.ShapeText} each [C].", nameof(x));
        }

        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            mean[c] = runningMean[c];
            variance[c] = runningVar[c];
        }
        return Normalize(x, mean, variance, weight, bias, epsilon);
    }

    /// <summary>
    /// Batch normalisation without running statistics (<c>track_running_stats = False</c>) of one
    /// example, a batch of one: each channel's mean and biased variance over the example's other axes normalise.
    /// </summary>
    /// <param name="x">One example, <c>[C, L]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="weight">The scale, <c>[C]</c>, or null for 1.</param>
    /// <param name="bias">The shift, <c>[C]</c>, or null for 0.</param>
    /// <param name="epsilon">Added to the variance; positive.</param>
    /// <returns>The normalised example, shaped as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit, or a channel has one value (PyTorch's "Expected more than 1 value per channel when training").</exception>
    public static Tensor BatchNormOfExample(Tensor x, Tensor? weight, Tensor? bias, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || (weight is not null && weight.Length != x.ShapeArray[0]) || (bias is not null && bias.Length != x.ShapeArray[0]))
            throw new ArgumentException($"BatchNorm: input {x.ShapeText} must be [C, ...] and weight {weight?.ShapeText ?? "(none)"} and bias {bias?.ShapeText ?? "(none)"} each [C].", nameof(x));
        int channels = x.ShapeArray[0], perChannel = x.Length / channels;
        if (perChannel < 2)
            throw new ArgumentException($"BatchNorm: Expected more than 1 value per channel when training, got input {x.ShapeText} (one example, no running statistics).", nameof(x));

        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) sum += x[i];
            mean[c] = sum / perChannel;
            double squares = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) squares += (x[i] - mean[c]) * (x[i] - mean[c]);
            variance[c] = squares / perChannel;
        }
        return Normalize(x, mean, variance, weight, bias, epsilon);
    }

    private static Tensor Normalize(Tensor x, double[] mean, double[] variance, Tensor? weight, Tensor? bias, double epsilon)
    {
        int channels = mean.Length, perChannel = x.Length / channels;
        var output = new double[x.Length];
        for (int c = 0; c < channels; c++)
        {
            double scale = (weight is null ? 1 : weight[c]) / Math.Sqrt(variance[c] + epsilon);
            double shift = bias is null ? 0 : bias[c];
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
                output[i] = (x[i] - mean[c]) * scale + shift;
        }

        return new Tensor(output, (int[])x.ShapeArray.Clone());
    }
}
