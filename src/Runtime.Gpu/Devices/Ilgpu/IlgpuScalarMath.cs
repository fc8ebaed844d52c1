using System;
using Dsl.Kernels;
using static Dsl.Kernels.SimdMath.Coefficients;

namespace Dsl;

/// <summary>
/// The scalar helpers the generated ILGPU kernels call (<see cref="FusedKernelSources.Ilgpu"/>) where
/// the CPU's scalar form is not something ILGPU can compile: tanh, exact GELU and its derivative
/// (<see cref="SimdMath"/>'s algorithms and coefficients) and dropout (<see cref="DropoutKernels"/>'s
/// Philox draws). Plain static methods over floats and uints: no spans, no allocation, no exceptions.
/// </summary>
/// <remarks>
/// <see cref="SimdMath"/>'s float overloads call <see cref="MathF.FusedMultiplyAdd"/>, which has no IL
/// body for ILGPU to translate and which ILGPU 1.5.3 does not remap. Here every fused multiply-add is
/// written <c>a * b + c</c>: on the CPU accelerator that rounds twice, a few ulp from the CPU's value;
/// the PTX backend may contract it into <c>fma.rn.f32</c>. Exp, Abs and CopySign are MathF's, which ILGPU
/// maps to its own intrinsics (give the context <c>EnableAlgorithms()</c> so the PTX backend has them).
/// Dropout calls <see cref="DropoutKernels.Keeps"/> itself, so its masks are the CPU's bit for bit.
/// </remarks>
public static class IlgpuScalarMath
{
    /// <summary>Hyperbolic tangent, <see cref="SimdMath.Tanh(float)"/>'s algorithm.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>tanh(x).</returns>
    public static float Tanh(float x)
    {
        float ax = MathF.Abs(x);
        float magnitude;
        if (ax < TanhPolynomialLimit)
        {
            float u = ax * ax;
            float p = u * Tanh4 + Tanh3;
            p = u * p + Tanh2;
            p = u * p + Tanh1;
            p = u * p + Tanh0;
            magnitude = ax * u * p + ax;
        }
        else
        {
            magnitude = 1f - 2f / (MathF.Exp(ax + ax) + 1f);
        }

        return MathF.CopySign(magnitude, x);
    }

    /// <summary>Exact GELU, x·Φ(x), <see cref="SimdMath.Gelu(float)"/>'s algorithm.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU(x).</returns>
    public static float Gelu(float x)
    {
        float cdf = NormalCdf(x, Gaussian(x));
        return cdf == 0f ? MathF.CopySign(0f, x) : x * cdf;
    }

    /// <summary>The standard normal distribution function Φ(x), <see cref="SimdMath.NormalCdf(float)"/>'s algorithm.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>Φ(x), in [0, 1].</returns>
    public static float NormalCdf(float x) => NormalCdf(x, Gaussian(x));

    /// <summary>The derivative of exact GELU, Φ(x) + x·φ(x), <see cref="SimdMath.GeluDerivative(float)"/>'s algorithm.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU'(x).</returns>
    public static float GeluDerivative(float x)
    {
        float gaussian = Gaussian(x);
        float cdf = NormalCdf(x, gaussian);
        return cdf + (gaussian == 0f ? 0f : x * gaussian * InverseSqrt2Pi);
    }

    /// <summary>
    /// x · <paramref name="scale"/> when stream position (<paramref name="indexHigh"/>, <paramref name="indexLow"/>)
    /// of (key, <paramref name="site"/>, <paramref name="step"/>) is kept, else 0: the OpenCL prelude's
    /// <c>dsl_dropout</c>, argument for argument, and <see cref="DropoutMask.Apply(float, ulong)"/>'s value.
    /// </summary>
    /// <param name="x">The element.</param>
    /// <param name="indexLow">The low 32 bits of its stream position (example · size + element).</param>
    /// <param name="indexHigh">The high 32 bits.</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="keyLow">The low 32 bits of the Philox key (the run's seed).</param>
    /// <param name="keyHigh">The high 32 bits.</param>
    /// <param name="threshold">p as <see cref="DropoutKernels.Threshold"/> gives it.</param>
    /// <param name="scale">1 / (1 − p) as <see cref="DropoutKernels.Scale"/> gives it.</param>
    /// <returns>The dropped element.</returns>
    public static float Dropout(float x, uint indexLow, uint indexHigh, uint site, uint step, uint keyLow, uint keyHigh, uint threshold, float scale)
    {
        ulong key = keyLow | ((ulong)keyHigh << 32);
        ulong index = indexLow | ((ulong)indexHigh << 32);
        return DropoutKernels.Keeps(key, site, step, index, threshold) ? x * scale : 0f;
    }

    /// <summary>The standard normal density without its 1/√(2π): e^(−x²/2), 0 where it underflows.</summary>
    private static float Gaussian(float x)
    {
        float ax = MathF.Abs(x);
        float square = ax * ax;
        // SimdMath corrects e^(-u) by the rounding error of x², fma(|x|, |x|, -x²); without a fused
        // multiply-add, Dekker's product gives the same error exactly (it matters in the far tails,
        // where the correction is worth up to x²·2^-26 of the result).
        return ExpMinusExact(square * 0.5f, SquareRoundingError(ax, square) * 0.5f);
    }

    /// <summary>
    /// a·a − <paramref name="square"/> exactly, where <paramref name="square"/> is a·a rounded (Dekker's
    /// product: a split into two 12-bit halves whose products are exact, so a contracted multiply-add
    /// gives the same value). Overflows to NaN for |a| above about 2^115, where e^(−a²/2) is 0 anyway.
    /// </summary>
    private static float SquareRoundingError(float a, float square)
    {
        float scaled = 4097f * a;
        float high = scaled - (scaled - a);
        float low = a - high;
        return ((high * high - square) + 2f * high * low) + low * low;
    }

    /// <summary>Φ(x), given <see cref="Gaussian"/>(x).</summary>
    private static float NormalCdf(float x, float gaussian)
    {
        float ax = MathF.Abs(x);
        float z = ax * InverseSqrt2;
        float u = ax * ax * 0.5f;
        if (z < 1f)
        {
            float halfErf = 0.5f * z * ErfPolynomial(u);
            return x < 0f ? 0.5f - halfErf : 0.5f + halfErf;
        }

        float halfErfc = 0.5f * ErfcTail(z, gaussian);
        return x < 0f ? halfErfc : 1f - halfErfc;
    }

    private static float ErfPolynomial(float u)
    {
        float p = u * Erf6 + Erf5;
        p = u * p + Erf4;
        p = u * p + Erf3;
        p = u * p + Erf2;
        p = u * p + Erf1;
        return u * p + Erf0;
    }

    private static float ErfcTail(float z, float expMinusSquare)
    {
        float t = 2f / (2f + z);
        float q = t * Erfc8 + Erfc7;
        q = t * q + Erfc6;
        q = t * q + Erfc5;
        q = t * q + Erfc4;
        q = t * q + Erfc3;
        q = t * q + Erfc2;
        q = t * q + Erfc1;
        q = t * q + Erfc0;
        return expMinusSquare * t * q;
    }

    private static float ExpMinusExact(float u, float error)
    {
        float e = MathF.Exp(-u);
        return e == 0f ? 0f : e * (1f - error);
    }
}
