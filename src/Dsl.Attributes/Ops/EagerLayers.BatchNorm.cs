using System;

namespace Dsl;

// BatchNorm (issue 19, branch bn) for one example: eval mode, since an example alone has no batch
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (x.Rank == 0 || weight.Rank != 1 || weight.Length != x.ShapeArray[0]
            || bias.Length != weight.Length || runningMean.Length != weight.Length || runningVar.Length != weight.Length)
        {
            throw new ArgumentException($"BatchNorm: input {x.ShapeText} must be [C, ...] and weight {weight.ShapeText}, bias {bias.ShapeText}, running_mean {runningMean.ShapeText} and running_var {runningVar.ShapeText} each [C].", nameof(x));
        }

        int channels = weight.Length, perChannel = x.Length / channels;
        var output = new double[x.Length];
        for (int c = 0; c < channels; c++)
        {
            double scale = weight[c] / Math.Sqrt(runningVar[c] + BatchNorm2dAttribute.Epsilon);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
                output[i] = (x[i] - runningMean[c]) * scale + bias[c];
        }

        return new Tensor(output, (int[])x.ShapeArray.Clone());
    }
}
