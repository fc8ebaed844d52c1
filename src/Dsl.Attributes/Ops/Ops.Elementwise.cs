using System;

namespace Dsl;

/// <summary>
/// The tensor operations model code calls (<c>using static Dsl.Ops;</c>). The generator resolves
/// each call by name and compiles it; these bodies are the eager reference semantics: exact,
/// double precision and deliberately simple, so that the compiled code can be tested against them.
/// </summary>
public static partial class Ops
{
    private static readonly double Sqrt2 = Math.Sqrt(2.0);

    /// <summary>Rectified linear unit, element-wise: <c>relu(x) = max(0, x)</c>. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape. NaN stays NaN, as in PyTorch.</returns>
    public static Tensor Relu(Tensor x) => NotNull(x).Map(static v => Math.Max(0.0, v));

    /// <summary>Hyperbolic tangent, element-wise: <c>tanh(x)</c>. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Tanh(Tensor x) => NotNull(x).Map(Math.Tanh);

    /// <summary>Logistic sigmoid, element-wise: <c>sigmoid(x) = 1 / (1 + exp(-x))</c>. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape, values in [0, 1].</returns>
    public static Tensor Sigmoid(Tensor x) => NotNull(x).Map(static v => 1.0 / (1.0 + Math.Exp(-v)));

    /// <summary>
    /// Exact Gaussian error linear unit, element-wise: <c>gelu(x) = 0.5 · x · (1 + erf(x / √2))</c>,
    /// which is PyTorch's default (<c>approximate='none'</c>), not the tanh approximation. Shape: unchanged.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Gelu(Tensor x) => NotNull(x).Map(GeluOf);

    /// <summary>Exponential, element-wise: <c>exp(x)</c>. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Exp(Tensor x) => NotNull(x).Map(Math.Exp);

    /// <summary>Natural logarithm, element-wise: <c>ln(x)</c>; ln(0) = -∞, ln of a negative is NaN. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Log(Tensor x) => NotNull(x).Map(Math.Log);

    // 1 + erf(x/√2) is written as erfc(-x/√2): the same value, but without the cancellation that
    // would lose every digit of GELU's small negative tail (x = -10 gives about -7.6e-23).
    private static double GeluOf(double x) => 0.5 * x * SpecialFunctions.Erfc(-x / Sqrt2);

    private static Tensor NotNull(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x;
    }
}
