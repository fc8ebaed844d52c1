using System;

namespace Dsl;

/// <summary>
/// Declares a layer normalisation over the last axis, like <c>torch.nn.LayerNorm(d)</c> with
/// <c>eps = 1e-5</c>: <c>y = (x - mean) / sqrt(var + eps) · weight + bias</c>, the variance biased
/// (divided by d). The size d is inferred from the argument; the weight starts at 1 and the bias
/// at 0, named like PyTorch's (<c>norm.weight</c>, <c>norm.bias</c>).
/// </summary>
/// <example>
/// <code>
/// [LayerNorm] private partial Tensor Norm(Tensor x);   // x: [T, d] or [d]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>The constant added to the variance before its square root, PyTorch's default.</summary>
    public const double Epsilon = 1e-5;
}
