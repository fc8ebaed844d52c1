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

    /// <summary>Square root, element-wise: <c>√x</c>; NaN below 0, as torch.sqrt. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Sqrt(Tensor x) => NotNull(x).Map(Math.Sqrt);

    /// <summary>Reciprocal square root, element-wise: <c>1 / √x</c>, as torch.rsqrt. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Rsqrt(Tensor x) => NotNull(x).Map(static v => 1.0 / Math.Sqrt(v));

    /// <summary>Absolute value, element-wise: <c>|x|</c>. Its gradient at 0 is 0, as PyTorch's. Shape: unchanged.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Abs(Tensor x) => NotNull(x).Map(Math.Abs);

    /// <summary>
    /// <paramref name="x"/> to a constant power, element-wise, as torch.pow(x, exponent). The exponent
    /// must be a compile-time constant other than 0. An integer exponent compiles to products (any
    /// sign of x); 0.5 and -0.5 to Sqrt and Rsqrt; another exponent to exp(exponent · ln x), defined
    /// for x &gt; 0 (at x = 0 its gradient is NaN where torch's is 0). Shape: unchanged.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="exponent">The power.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Pow(Tensor x, double exponent) => NotNull(x).Map(v => Math.Pow(v, exponent));

    /// <summary>
    /// The larger of <paramref name="a"/> and <paramref name="b"/>, element-wise, as torch.maximum (NaN
    /// if either is NaN; at a tie each operand gets half the gradient). Shapes broadcast as <c>+</c>'s.
    /// </summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    public static Tensor Maximum(Tensor a, Tensor b) =>
        Tensor.Elementwise(a, b, static (p, q) => double.IsNaN(p) || double.IsNaN(q) ? double.NaN : Math.Max(p, q), "take the maximum of", "and");

    /// <summary>The smaller of <paramref name="a"/> and <paramref name="b"/>, element-wise, as torch.minimum (see <see cref="Maximum"/>).</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    public static Tensor Minimum(Tensor a, Tensor b) =>
        Tensor.Elementwise(a, b, static (p, q) => double.IsNaN(p) || double.IsNaN(q) ? double.NaN : Math.Min(p, q), "take the minimum of", "and");

    /// <summary>
    /// <paramref name="x"/> limited to [<paramref name="min"/>, <paramref name="max"/>], element-wise, as
    /// torch.clamp: the gradient passes where min ≤ x ≤ max. The bounds are compile-time constants
    /// with min ≤ max; NaN stays NaN. Shape: unchanged.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    public static Tensor Clamp(Tensor x, double min, double max)
    {
        if (!(min <= max))
            throw new ArgumentException($"Clamp(x, {min}, {max}): min must not exceed max.");
        return NotNull(x).Map(v => v < min ? min : v > max ? max : v);
    }

    // 1 + erf(x/√2) is written as erfc(-x/√2): the same value, but without the cancellation that
    // would lose every digit of GELU's small negative tail (x = -10 gives about -7.6e-23).
    private static double GeluOf(double x) => 0.5 * x * SpecialFunctions.Erfc(-x / Sqrt2);

    private static Tensor NotNull(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x;
    }
}
