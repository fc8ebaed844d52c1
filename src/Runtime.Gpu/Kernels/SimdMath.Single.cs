using System;
using System.Runtime.CompilerServices;
using static Dsl.Kernels.SimdMath.Coefficients;

namespace Dsl.Kernels;

// The float overloads: the same approximations as the vector ones, for the scalar tail of a
// vector loop, so a tensor's last few elements are computed the way its first ones were.
public static partial class SimdMath
{
    /// <summary>Hyperbolic tangent (the vector algorithm on one value).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>tanh(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float ax = MathF.Abs(x);
        float magnitude;
        if (ax < TanhPolynomialLimit)
        {
            float u = ax * ax;
            float p = MathF.FusedMultiplyAdd(u, Tanh4, Tanh3);
            p = MathF.FusedMultiplyAdd(u, p, Tanh2);
            p = MathF.FusedMultiplyAdd(u, p, Tanh1);
            p = MathF.FusedMultiplyAdd(u, p, Tanh0);
            magnitude = MathF.FusedMultiplyAdd(ax * u, p, ax);
        }
        else
        {
            magnitude = 1f - 2f / (MathF.Exp(ax + ax) + 1f);
        }

        return MathF.CopySign(magnitude, x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>σ(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The error function (absolute error at most 2e-7).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erf(float x)
    {
        float z = MathF.Abs(x);
        float u = z * z;
        float magnitude = z < 1f ? z * ErfPolynomial(u) : 1f - ErfcTail(z, ExpMinusExact(u, MathF.FusedMultiplyAdd(z, z, -u)));
        return MathF.CopySign(magnitude, x);
    }

    /// <summary>Exact GELU, x·Φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float x)
    {
        float cdf = NormalCdf(x, out _);
        return cdf == 0f ? MathF.CopySign(0f, x) : x * cdf;
    }

    /// <summary>The derivative of exact GELU, Φ(x) + x·φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU'(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GeluDerivative(float x)
    {
        float cdf = NormalCdf(x, out float gaussian);
        return cdf + (gaussian == 0f ? 0f : x * gaussian * InverseSqrt2Pi);
    }

    /// <summary>
    /// The standard normal distribution function Φ(x), as <see cref="Gelu(float)"/> computes it:
    /// a training step keeps Φ from GELU's forward pass for the backward one.
    /// </summary>
    /// <param name="x">The argument.</param>
    /// <returns>Φ(x), in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormalCdf(float x) => NormalCdf(x, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float NormalCdf(float x, out float gaussian)
    {
        float ax = MathF.Abs(x);
        float z = ax * InverseSqrt2;
        float square = ax * ax;
        float u = square * 0.5f;
        gaussian = ExpMinusExact(u, MathF.FusedMultiplyAdd(ax, ax, -square) * 0.5f);
        if (z < 1f)
        {
            float halfErf = 0.5f * z * ErfPolynomial(u);
            return x < 0f ? 0.5f - halfErf : 0.5f + halfErf;
        }

        float halfErfc = 0.5f * ErfcTail(z, gaussian);
        return x < 0f ? halfErfc : 1f - halfErfc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ErfPolynomial(float u)
    {
        float p = MathF.FusedMultiplyAdd(u, Erf6, Erf5);
        p = MathF.FusedMultiplyAdd(u, p, Erf4);
        p = MathF.FusedMultiplyAdd(u, p, Erf3);
        p = MathF.FusedMultiplyAdd(u, p, Erf2);
        p = MathF.FusedMultiplyAdd(u, p, Erf1);
        return MathF.FusedMultiplyAdd(u, p, Erf0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ErfcTail(float z, float expMinusSquare)
    {
        float t = 2f / (2f + z);
        float q = MathF.FusedMultiplyAdd(t, Erfc8, Erfc7);
        q = MathF.FusedMultiplyAdd(t, q, Erfc6);
        q = MathF.FusedMultiplyAdd(t, q, Erfc5);
        q = MathF.FusedMultiplyAdd(t, q, Erfc4);
        q = MathF.FusedMultiplyAdd(t, q, Erfc3);
        q = MathF.FusedMultiplyAdd(t, q, Erfc2);
        q = MathF.FusedMultiplyAdd(t, q, Erfc1);
        q = MathF.FusedMultiplyAdd(t, q, Erfc0);
        return expMinusSquare * t * q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpMinusExact(float u, float error)
    {
        float e = MathF.Exp(-u);
        return e == 0f ? 0f : e * (1f - error);
    }
}
