using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Dsl.Kernels.SimdMath.Coefficients;

namespace Dsl.Kernels;

// The Vector512 overloads. SimdMath.Vector256.cs is this file with 512 replaced by 256; keep the two in step.
public static partial class SimdMath
{
    /// <summary>Hyperbolic tangent of each lane (accurate near 0, saturating to ±1 without NaN).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>tanh(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> u = ax * ax;
        Vector512<float> p = Vector512.FusedMultiplyAdd(u, Vector512.Create(Tanh4), Vector512.Create(Tanh3));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Tanh2));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Tanh1));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Tanh0));
        Vector512<float> near = Vector512.FusedMultiplyAdd(ax * u, p, ax);
        // e^(2|x|) overflows to +inf for large |x|, which gives exactly 1: no inf/inf.
        Vector512<float> far = Vector512<float>.One - Vector512.Create(2f) / (Exp(ax + ax) + Vector512<float>.One);
        Vector512<float> magnitude = Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhPolynomialLimit)), near, far);
        return CopySign(magnitude, x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x) of each lane.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>σ(x) per lane, in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) =>
        Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>The error function of each lane (absolute error at most 2e-7).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>erf(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        Vector512<float> z = Vector512.Abs(x);
        Vector512<float> u = z * z;
        Vector512<float> near = z * ErfPolynomial(u);
        Vector512<float> far = Vector512<float>.One - ErfcTail(z, ExpMinusExact(u, Vector512.FusedMultiplyAdd(z, z, -u)));
        return CopySign(Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512<float>.One), near, far), x);
    }

    /// <summary>Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), of each lane (PyTorch's default <c>approximate='none'</c>).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>GELU(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x)
    {
        Vector512<float> cdf = NormalCdf(x, out _);
        // Φ underflows to 0 far left; return -0 there instead of the NaN of -∞·0.
        return Vector512.ConditionalSelect(Vector512.Equals(cdf, Vector512<float>.Zero), x & Vector512.Create(SignBit).AsSingle(), x * cdf);
    }

    /// <summary>The derivative of exact GELU, Φ(x) + x·φ(x), of each lane.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>GELU'(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GeluDerivative(Vector512<float> x)
    {
        Vector512<float> cdf = NormalCdf(x, out Vector512<float> gaussian);
        // φ underflows to 0 for |x| ≳ 14; keep x·φ at 0 there rather than ∞·0 = NaN.
        Vector512<float> xPdf = Vector512.ConditionalSelect(
            Vector512.Equals(gaussian, Vector512<float>.Zero), Vector512<float>.Zero, x * gaussian * Vector512.Create(InverseSqrt2Pi));
        return cdf + xPdf;
    }

    /// <summary>The standard normal distribution function Φ(x) of each lane, as <see cref="Gelu(Vector512{float})"/> computes it.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Φ(x) per lane, in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalCdf(Vector512<float> x) => NormalCdf(x, out _);

    /// <summary>Φ(x), accurate in both tails; also returns e^(-x²/2) for the density.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> NormalCdf(Vector512<float> x, out Vector512<float> gaussian)
    {
        Vector512<float> half = Vector512.Create(0.5f);
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> z = ax * Vector512.Create(InverseSqrt2);
        // u + uError = x²/2 exactly (the FMA recovers the rounding of x²), so e^(-x²/2) keeps its
        // relative accuracy far into the tail where u is large.
        Vector512<float> square = ax * ax;
        Vector512<float> u = square * half;
        gaussian = ExpMinusExact(u, Vector512.FusedMultiplyAdd(ax, ax, -square) * half);
        Vector512<float> halfErf = half * z * ErfPolynomial(u);
        Vector512<float> halfErfc = half * ErfcTail(z, gaussian);
        Vector512<float> isNear = Vector512.LessThan(z, Vector512<float>.One);
        // Φ(-|x|) = erfc(z)/2 is computed directly, never as 1 - something, so the left tail keeps its relative accuracy.
        Vector512<float> upper = Vector512.ConditionalSelect(isNear, half + halfErf, Vector512<float>.One - halfErfc);
        Vector512<float> lower = Vector512.ConditionalSelect(isNear, half - halfErf, halfErfc);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), lower, upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ErfPolynomial(Vector512<float> u)
    {
        Vector512<float> p = Vector512.FusedMultiplyAdd(u, Vector512.Create(Erf6), Vector512.Create(Erf5));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Erf4));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Erf3));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Erf2));
        p = Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Erf1));
        return Vector512.FusedMultiplyAdd(u, p, Vector512.Create(Erf0));
    }

    /// <summary>erfc(z) for z ≥ 1, given e^(-z²): e^(-z²)·t·Q(t) with t = 2/(2 + z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ErfcTail(Vector512<float> z, Vector512<float> expMinusSquare)
    {
        Vector512<float> t = Vector512.Create(2f) / (Vector512.Create(2f) + z);
        Vector512<float> q = Vector512.FusedMultiplyAdd(t, Vector512.Create(Erfc8), Vector512.Create(Erfc7));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc6));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc5));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc4));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc3));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc2));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc1));
        q = Vector512.FusedMultiplyAdd(t, q, Vector512.Create(Erfc0));
        return expMinusSquare * t * q;
    }

    /// <summary>e^-(u + error) for a small correction: e^-u·(1 - error); 0 once e^-u underflows (the correction is NaN for u = ∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpMinusExact(Vector512<float> u, Vector512<float> error)
    {
        Vector512<float> e = Exp(-u);
        return Vector512.ConditionalSelect(Vector512.Equals(e, Vector512<float>.Zero), Vector512<float>.Zero, e * (Vector512<float>.One - error));
    }

    /// <summary>|magnitude| with the sign bit of <paramref name="sign"/> (magnitude must be non-negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CopySign(Vector512<float> magnitude, Vector512<float> sign) =>
        magnitude | (sign & Vector512.Create(SignBit).AsSingle());
}
