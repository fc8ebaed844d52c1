using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Dsl.Kernels.SimdMath.Coefficients;

namespace Dsl.Kernels;

// The Vector256 overloads: SimdMath.Vector512.cs with 512 replaced by 256 (keep the two in step).
public static partial class SimdMath
{
    /// <summary>Hyperbolic tangent of each lane (accurate near 0, saturating to ±1 without NaN).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>tanh(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> u = ax * ax;
        Vector256<float> p = Vector256.FusedMultiplyAdd(u, Vector256.Create(Tanh4), Vector256.Create(Tanh3));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Tanh2));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Tanh1));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Tanh0));
        Vector256<float> near = Vector256.FusedMultiplyAdd(ax * u, p, ax);
        // e^(2|x|) overflows to +inf for large |x|, which gives exactly 1: no inf/inf.
        Vector256<float> far = Vector256<float>.One - Vector256.Create(2f) / (Exp(ax + ax) + Vector256<float>.One);
        Vector256<float> magnitude = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhPolynomialLimit)), near, far);
        return CopySign(magnitude, x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x) of each lane.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>σ(x) per lane, in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) =>
        Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>The error function of each lane (absolute error at most 2e-7).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>erf(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        Vector256<float> z = Vector256.Abs(x);
        Vector256<float> u = z * z;
        Vector256<float> near = z * ErfPolynomial(u);
        Vector256<float> far = Vector256<float>.One - ErfcTail(z, ExpMinusExact(u, Vector256.FusedMultiplyAdd(z, z, -u)));
        return CopySign(Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<float>.One), near, far), x);
    }

    /// <summary>Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), of each lane (PyTorch's default <c>approximate='none'</c>).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>GELU(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x)
    {
        Vector256<float> cdf = NormalCdf(x, out _);
        // Φ underflows to 0 far left; return -0 there instead of the NaN of -∞·0.
        return Vector256.ConditionalSelect(Vector256.Equals(cdf, Vector256<float>.Zero), x & Vector256.Create(SignBit).AsSingle(), x * cdf);
    }

    /// <summary>The derivative of exact GELU, Φ(x) + x·φ(x), of each lane.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>GELU'(x) per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GeluDerivative(Vector256<float> x)
    {
        Vector256<float> cdf = NormalCdf(x, out Vector256<float> gaussian);
        // φ underflows to 0 for |x| ≳ 14; keep x·φ at 0 there rather than ∞·0 = NaN.
        Vector256<float> xPdf = Vector256.ConditionalSelect(
            Vector256.Equals(gaussian, Vector256<float>.Zero), Vector256<float>.Zero, x * gaussian * Vector256.Create(InverseSqrt2Pi));
        return cdf + xPdf;
    }

    /// <summary>The standard normal distribution function Φ(x) of each lane, as <see cref="Gelu(Vector256{float})"/> computes it.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Φ(x) per lane, in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalCdf(Vector256<float> x) => NormalCdf(x, out _);

    /// <summary>Φ(x), accurate in both tails; also returns e^(-x²/2) for the density.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NormalCdf(Vector256<float> x, out Vector256<float> gaussian)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> z = ax * Vector256.Create(InverseSqrt2);
        // u + uError = x²/2 exactly (the FMA recovers the rounding of x²), so e^(-x²/2) keeps its
        // relative accuracy far into the tail where u is large.
        Vector256<float> square = ax * ax;
        Vector256<float> u = square * half;
        gaussian = ExpMinusExact(u, Vector256.FusedMultiplyAdd(ax, ax, -square) * half);
        Vector256<float> halfErf = half * z * ErfPolynomial(u);
        Vector256<float> halfErfc = half * ErfcTail(z, gaussian);
        Vector256<float> isNear = Vector256.LessThan(z, Vector256<float>.One);
        // Φ(-|x|) = erfc(z)/2 is computed directly, never as 1 - something, so the left tail keeps its relative accuracy.
        Vector256<float> upper = Vector256.ConditionalSelect(isNear, half + halfErf, Vector256<float>.One - halfErfc);
        Vector256<float> lower = Vector256.ConditionalSelect(isNear, half - halfErf, halfErfc);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), lower, upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ErfPolynomial(Vector256<float> u)
    {
        Vector256<float> p = Vector256.FusedMultiplyAdd(u, Vector256.Create(Erf6), Vector256.Create(Erf5));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Erf4));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Erf3));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Erf2));
        p = Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Erf1));
        return Vector256.FusedMultiplyAdd(u, p, Vector256.Create(Erf0));
    }

    /// <summary>erfc(z) for z ≥ 1, given e^(-z²): e^(-z²)·t·Q(t) with t = 2/(2 + z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ErfcTail(Vector256<float> z, Vector256<float> expMinusSquare)
    {
        Vector256<float> t = Vector256.Create(2f) / (Vector256.Create(2f) + z);
        Vector256<float> q = Vector256.FusedMultiplyAdd(t, Vector256.Create(Erfc8), Vector256.Create(Erfc7));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc6));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc5));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc4));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc3));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc2));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc1));
        q = Vector256.FusedMultiplyAdd(t, q, Vector256.Create(Erfc0));
        return expMinusSquare * t * q;
    }

    /// <summary>e^-(u + error) for a small correction: e^-u·(1 - error); 0 once e^-u underflows (the correction is NaN for u = ∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpMinusExact(Vector256<float> u, Vector256<float> error)
    {
        Vector256<float> e = Exp(-u);
        return Vector256.ConditionalSelect(Vector256.Equals(e, Vector256<float>.Zero), Vector256<float>.Zero, e * (Vector256<float>.One - error));
    }

    /// <summary>|magnitude| with the sign bit of <paramref name="sign"/> (magnitude must be non-negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> CopySign(Vector256<float> magnitude, Vector256<float> sign) =>
        magnitude | (sign & Vector256.Create(SignBit).AsSingle());
}
