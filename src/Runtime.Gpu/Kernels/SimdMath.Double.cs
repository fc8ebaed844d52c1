using System;

namespace Dsl.Kernels;

// The double overloads, for the eager reference: accuracy first (about 1e-15 relative), speed second.
public static partial class SimdMath
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double InverseSqrtPi = 0.56418958354775628695;
    private const double InverseSqrt2Double = 0.70710678118654752440;
    private const double InverseSqrt2PiDouble = 0.39894228040143267794;

    /// <summary>Below this, erf comes from its everywhere-positive series; above, erfc from its continued fraction.</summary>
    private const double SeriesLimit = 2.0;

    /// <summary>Hyperbolic tangent (<see cref="Math.Tanh"/>).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>tanh(x).</returns>
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>Logistic sigmoid 1 / (1 + e^-x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>σ(x).</returns>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>The error function, to about 1e-15 relative.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        if (double.IsNaN(x))
            return double.NaN;
        double magnitude = z < SeriesLimit ? ErfSeries(z) : 1.0 - ErfcContinuedFraction(z);
        return Math.CopySign(magnitude, x);
    }

    /// <summary>The complementary error function 1 - erf(x), accurate in relative terms in the right tail.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erfc(x).</returns>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
            return double.NaN;
        if (x < 0)
            return 2.0 - Erfc(-x);
        return x < SeriesLimit ? 1.0 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    /// <summary>Exact GELU, x·Φ(x), with Φ(x) = erfc(-x/√2)/2 so the left tail keeps its relative accuracy.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU(x).</returns>
    public static double Gelu(double x)
    {
        double cdf = 0.5 * Erfc(-x * InverseSqrt2Double);
        return cdf == 0.0 ? Math.CopySign(0.0, x) : x * cdf;
    }

    /// <summary>The derivative of exact GELU, Φ(x) + x·φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>GELU'(x).</returns>
    public static double GeluDerivative(double x)
    {
        double cdf = 0.5 * Erfc(-x * InverseSqrt2Double);
        double gaussian = Math.Exp(-0.5 * x * x);
        return cdf + (gaussian == 0.0 ? 0.0 : x * gaussian * InverseSqrt2PiDouble);
    }

    /// <summary>erf(z) for 0 ≤ z &lt; 2 from erf(z) = 2/√π·e^(-z²)·Σ 2ⁿz^(2n+1)/(1·3···(2n+1)), whose terms are all positive (no cancellation).</summary>
    private static double ErfSeries(double z)
    {
        double z2 = z * z;
        double term = z, sum = z;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2.0 * z2 / (2 * n + 1);
            sum += term;
        }

        return TwoOverSqrtPi * ExpMinusSquare(z) * sum;
    }

    /// <summary>erfc(z) for z ≥ 2 from the continued fraction e^(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), by Lentz's method.</summary>
    private static double ErfcContinuedFraction(double z)
    {
        // erfc(27) is below the smallest subnormal double.
        if (z > 27.3)
            return 0.0;
        const double Tiny = 1e-300;
        double f = z, c = z, d = 0.0;
        for (int n = 1; n < 5000; n++)
        {
            double a = 0.5 * n;
            d = z + a * d;
            d = Math.Abs(d) < Tiny ? 1.0 / Tiny : 1.0 / d;
            c = z + a / c;
            if (Math.Abs(c) < Tiny)
                c = Tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
                break;
        }

        return InverseSqrtPi * ExpMinusSquare(z) / f;
    }

    /// <summary>e^(-z²) without the error of rounding z² first: z = h + l with h*h exact, e^(-z²) = e^(-h²)·e^(-l(z + h)).</summary>
    private static double ExpMinusSquare(double z)
    {
        double h = (float)z;
        return Math.Exp(-h * h) * Math.Exp(-(z - h) * (z + h));
    }
}
