using System;

namespace Dsl;

/// <summary>
/// The error function and its complement in double precision, for the exact GELU.
/// </summary>
/// <remarks>
/// .NET has no <c>Math.Erf</c>. This is W. J. Cody's CALERF (netlib SPECFUN): rational Chebyshev
/// approximations on three intervals, with a maximal relative error below 1e-16 in each
/// (W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
/// 631-637). The coefficients are copied at their published precision.
/// </remarks>
internal static class SpecialFunctions
{
    // Below this |x| erf is evaluated directly; above it erfc is, to avoid cancellation in 1 - erf.
    private const double SmallLimit = 0.46875;

    // Above this |x| the middle approximation of erfc hands over to the asymptotic one.
    private const double MiddleLimit = 4.0;

    // erfc(x) underflows to zero in double precision beyond this point.
    private const double ErfcUnderflow = 26.543;

    // 1/sqrt(pi).
    private const double OneOverSqrtPi = 5.6418958354775628695e-1;

    // erf(x) = x * A(x^2) / B(x^2) on |x| <= 0.46875.
    private static readonly double[] A =
    {
        3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1,
    };

    private static readonly double[] B =
    {
        2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03,
    };

    // erfc(x) = exp(-x^2) * C(x) / D(x) on 0.46875 < x <= 4.
    private static readonly double[] C =
    {
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
        2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8,
    };

    private static readonly double[] D =
    {
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
        3.43936767414372164e03, 1.23033935480374942e03,
    };

    // erfc(x) = exp(-x^2) / x * (1/sqrt(pi) + 1/x^2 * P(1/x^2) / Q(1/x^2)) for x > 4.
    private static readonly double[] P =
    {
        3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2,
    };

    private static readonly double[] Q =
    {
        2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3,
    };

    /// <summary>The error function, erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double y = Math.Abs(x);
        if (y <= SmallLimit)
        {
            return x * SmallRatio(y * y);
        }

        double complement = ErfcOfPositive(y);
        return x < 0 ? complement - 1.0 : 1.0 - complement;
    }

    /// <summary>The complementary error function, erfc(x) = 1 - erf(x), accurate in both tails.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double y = Math.Abs(x);
        if (y <= SmallLimit)
        {
            return 1.0 - x * SmallRatio(y * y);
        }

        double complement = ErfcOfPositive(y);
        return x < 0 ? 2.0 - complement : complement;
    }

    // A(t) / B(t) for t = x^2, so that erf(x) = x * SmallRatio(x^2) near zero.
    private static double SmallRatio(double t)
    {
        double numerator = A[4] * t;
        double denominator = t;
        for (int i = 0; i < 3; i++)
        {
            numerator = (numerator + A[i]) * t;
            denominator = (denominator + B[i]) * t;
        }

        return (numerator + A[3]) / (denominator + B[3]);
    }

    // erfc(y) for y > 0.46875.
    private static double ErfcOfPositive(double y)
    {
        double ratio;
        if (y <= MiddleLimit)
        {
            double numerator = C[8] * y;
            double denominator = y;
            for (int i = 0; i < 7; i++)
            {
                numerator = (numerator + C[i]) * y;
                denominator = (denominator + D[i]) * y;
            }

            ratio = (numerator + C[7]) / (denominator + D[7]);
        }
        else
        {
            if (y >= ErfcUnderflow)
            {
                return 0.0;
            }

            double z = 1.0 / (y * y);
            double numerator = P[5] * z;
            double denominator = z;
            for (int i = 0; i < 4; i++)
            {
                numerator = (numerator + P[i]) * z;
                denominator = (denominator + Q[i]) * z;
            }

            ratio = z * (numerator + P[4]) / (denominator + Q[4]);
            ratio = (OneOverSqrtPi - ratio) / y;
        }

        return ExpMinusSquare(y) * ratio;
    }

    // exp(-y^2) without the rounding error of forming y^2: split y = s + r with s a multiple of
    // 1/16, so s^2 is exact and exp(-y^2) = exp(-s^2) * exp(-(y - s)(y + s)). Cody does the same;
    // it keeps erfc's relative accuracy for large y, where an error in y^2 is multiplied by y^2.
    private static double ExpMinusSquare(double y)
    {
        double s = Math.Truncate(y * 16.0) / 16.0;
        double rest = (y - s) * (y + s);
        return Math.Exp(-s * s) * Math.Exp(-rest);
    }
}
