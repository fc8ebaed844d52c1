using System;

namespace Dsl;

/// <summary>
/// Declares a batch normalisation over an image <c>[C, H, W]</c>, like <c>torch.nn.BatchNorm2d(C)</c> with its defaults
/// (<c>eps = 1e-5</c>, <c>momentum = 0.1</c>, affine, tracking running statistics): per channel,
/// <c>y = (x - mean) / sqrt(var + eps) · weight + bias</c>. In the compiled training step the batch's
/// mean and biased variance normalise, and the running statistics are updated with the unbiased
/// variance; in Predict, validation and eager calls the running statistics normalise. C is inferred
/// from the argument's first axis. Parameters <c>weight</c> (ones) and <c>bias</c> (zeros); buffers
/// <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>, named like PyTorch's.
/// </summary>
/// <example>
/// <code>
/// [BatchNorm2d] private partial Tensor Norm(Tensor x);   // x: [C, H, W]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BatchNorm2dAttribute : Attribute
{
    /// <summary>The constant added to the variance before its square root, PyTorch's default.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>The weight of a batch's statistics in the running ones, PyTorch's default.</summary>
    public const double Momentum = 0.1;
}
