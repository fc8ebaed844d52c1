using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Generated derivatives of scalar functions, held to hand-derived derivatives and to central differences.</summary>
public class ScalarDerivativeTests
{
    /// <summary>Checks a generated derivative against the analytic one and a central difference of the function at each point.</summary>
    private static void Agrees(Func<double, double> f, Func<double, double> generated, Func<double, double> analytic, double[] points, string name)
    {
        foreach (double x in points)
        {
            double d = generated(x);
            Check.Close(analytic(x), d, Check.Analytic, $"{name}'({x:R}) vs analytic");
            Check.Close(Check.Derivative(f, x), d, Check.FiniteDifference, $"{name}'({x:R}) vs finite difference");
        }
    }

    /// <summary>Two-argument version: the generated gradient (∂/∂x, ∂/∂y) at random (x, y).</summary>
    private static void Agrees2(Func<double, double, double> f, Func<double, double, (double, double)> generated,
        Func<double, double, (double, double)> analytic, double[] xs, double[] ys, string name)
    {
        for (int k = 0; k < xs.Length; k++)
        {
            double x = xs[k], y = ys[k];
            var (gx, gy) = generated(x, y);
            var (ax, ay) = analytic(x, y);
            Check.Close(ax, gx, Check.Analytic, $"∂{name}/∂x({x:R}, {y:R}) vs analytic");
            Check.Close(ay, gy, Check.Analytic, $"∂{name}/∂y({x:R}, {y:R}) vs analytic");
            Check.Close(Check.Derivative(t => f(t, y), x), gx, Check.FiniteDifference, $"∂{name}/∂x({x:R}, {y:R}) vs finite difference");
            Check.Close(Check.Derivative(t => f(x, t), y), gy, Check.FiniteDifference, $"∂{name}/∂y({x:R}, {y:R}) vs finite difference");
        }
    }

    // ---- Polynomials ----

    [Fact]
    public void Seed_polynomial_has_the_documented_derivatives()
    {
        Assert.Equal(8, Scalars.DF(3));
        Assert.Equal(2, Scalars.D2F(3));
        Assert.Equal(0, Scalars.D3F(3));
        foreach (double x in Check.Points(1, -5, 5))
        {
            Check.Close(2 * x + 2, Scalars.DF(x), Check.Analytic, $"F'({x})");
            Check.Close(Check.Derivative(Scalars.F, x), Scalars.DF(x), Check.FiniteDifference, $"F'({x}) vs finite difference");
            Assert.Equal(2, Scalars.D2F(x));
            Assert.Equal(0, Scalars.D3F(x));
        }
    }

    [Fact]
    public void Cubic_derivatives_to_the_fourth()
    {
        double[] points = Check.Points(2, -3, 3);
        Agrees(Scalars.P, Scalars.DP, x => 9 * x * x - 4 * x + 1, points, "P");
        Agrees(Scalars.DP, Scalars.D2P, x => 18 * x - 4, points, "P'");
        Agrees(Scalars.D2P, Scalars.D3P, _ => 18, points, "P''");
        foreach (double x in points) Assert.Equal(0, Scalars.D4P(x));
    }

    // ---- Math functions ----

    [Fact] public void Sin() => Agrees(Scalars.Sin, Scalars.DSin, Math.Cos, Check.Points(10, -4, 4), "Sin");
    [Fact] public void Cos() => Agrees(Scalars.Cos, Scalars.DCos, x => -Math.Sin(x), Check.Points(11, -4, 4), "Cos");
    [Fact] public void Tan() => Agrees(Scalars.Tan, Scalars.DTan, x => 1 / (Math.Cos(x) * Math.Cos(x)), Check.Points(12, -1.2, 1.2), "Tan");
    [Fact] public void Asin() => Agrees(Scalars.Asin, Scalars.DAsin, x => 1 / Math.Sqrt(1 - x * x), Check.Points(13, -0.9, 0.9), "Asin");
    [Fact] public void Acos() => Agrees(Scalars.Acos, Scalars.DAcos, x => -1 / Math.Sqrt(1 - x * x), Check.Points(14, -0.9, 0.9), "Acos");
    [Fact] public void Atan() => Agrees(Scalars.Atan, Scalars.DAtan, x => 1 / (1 + x * x), Check.Points(15, -4, 4), "Atan");
    [Fact] public void Sinh() => Agrees(Scalars.Sinh, Scalars.DSinh, Math.Cosh, Check.Points(16, -3, 3), "Sinh");
    [Fact] public void Cosh() => Agrees(Scalars.Cosh, Scalars.DCosh, Math.Sinh, Check.Points(17, -3, 3), "Cosh");
    [Fact] public void Tanh() => Agrees(Scalars.Tanh, Scalars.DTanh, x => 1 - Math.Tanh(x) * Math.Tanh(x), Check.Points(18, -3, 3), "Tanh");
    [Fact] public void Exp() => Agrees(Scalars.Exp, Scalars.DExp, Math.Exp, Check.Points(19, -3, 3), "Exp");
    [Fact] public void Log() => Agrees(Scalars.Log, Scalars.DLog, x => 1 / x, Check.Points(20, 0.1, 5), "Log");
    [Fact] public void Log10() => Agrees(Scalars.Log10, Scalars.DLog10, x => 1 / (x * Math.Log(10)), Check.Points(21, 0.1, 5), "Log10");
    [Fact] public void Sqrt() => Agrees(Scalars.Sqrt, Scalars.DSqrt, x => 0.5 / Math.Sqrt(x), Check.Points(22, 0.1, 5), "Sqrt");

    [Fact]
    public void Abs_away_from_zero()
    {
        // Magnitudes from 0.1 up, either sign, so the central difference never straddles the kink.
        double[] magnitudes = Check.Points(23, 0.1, 3), signs = Check.Points(24, -1, 1);
        double[] points = new double[magnitudes.Length];
        for (int i = 0; i < points.Length; i++) points[i] = Math.Sign(signs[i]) * magnitudes[i];
        Agrees(Scalars.Abs, Scalars.DAbs, x => Math.Sign(x), points, "Abs");
    }

    [Fact]
    public void Pow_in_both_arguments() =>
        Agrees2(Scalars.Pow, Scalars.DPow, (x, y) => (y * Math.Pow(x, y - 1), Math.Pow(x, y) * Math.Log(x)),
            Check.Points(25, 0.2, 3), Check.Points(26, -2, 3), "Pow");

    [Fact]
    public void Pow_with_a_constant_exponent_or_base() =>
        Agrees(Scalars.Powers, Scalars.DPowers, x => 3 * x * x + Math.Log(2) * Math.Pow(2, x) + 0.5 / Math.Sqrt(x), Check.Points(27, 0.2, 3), "Powers");

    [Fact]
    public void Atan2_in_both_arguments() =>
        Agrees2(Scalars.Atan2, Scalars.DAtan2, (y, x) => (x / (x * x + y * y), -y / (x * x + y * y)),
            Check.Points(28, -2, 2), Check.Points(29, 0.3, 2), "Atan2");

    [Fact]
    public void Max_and_Min_route_the_gradient_to_the_larger_and_smaller()
    {
        double[] xs = Check.Points(30, -2, 2), ys = Check.Points(31, -2, 2);
        Agrees2(Scalars.Max, Scalars.DMax, (x, y) => x > y ? (1, 0) : (0, 1), xs, ys, "Max");
        Agrees2(Scalars.Min, Scalars.DMin, (x, y) => x < y ? (1, 0) : (0, 1), xs, ys, "Min");
    }

    [Fact]
    public void Floor_Ceiling_Round_Sign_have_zero_derivative()
    {
        // Points kept off the integers and half-integers, where the steps jump.
        foreach (double x in new[] { -2.7, -1.3, -0.2, 0.3, 0.8, 1.15, 2.6, 3.35 })
        {
            double expected = Math.Floor(x) + 2 * Math.Ceiling(x) + 3 * Math.Round(x) + 4 * Math.Sign(x);
            Check.Close(expected, Scalars.DSteps(x), Check.Analytic, $"Steps'({x})");
            Check.Close(Check.Derivative(Scalars.Steps, x), Scalars.DSteps(x), Check.FiniteDifference, $"Steps'({x}) vs finite difference");
        }
    }

    [Fact]
    public void Composition_of_Math_functions()
    {
        static double Analytic(double x)
        {
            double s = Math.Sqrt(1 + x * x), den = 1 + s, e = Math.Exp(-x), t = Math.Tanh(x);
            double num = Math.Sin(x * x) * e;
            double dnum = Math.Cos(x * x) * 2 * x * e - Math.Sin(x * x) * e;
            double dden = x / s;
            double datan = 3 * (1 - t * t) / (1 + 9 * t * t);
            return (dnum * den - num * dden) / (den * den) + datan - t;
        }
        Agrees(Scalars.Mix, Scalars.DMix, Analytic, Check.Points(32, -3, 3), "Mix");
    }

    // ---- Locals and reassignment ----

    private static (double, double) LocalsAnalytic(double x, double y)
    {
        double u = x * y, b = u + Math.Sin(x), a = u * b + y;
        double dx = (a + x * (y * b + u * (y + Math.Cos(x))) - (y + Math.Cos(x)) / y) / 2;
        double dy = (x * (x * b + u * x + 1) - (x / y - b / (y * y))) / 2;
        return (dx, dy);
    }

    [Fact]
    public void Locals_and_every_compound_assignment() =>
        Agrees2(Scalars.Locals, Scalars.LocalsGrad, LocalsAnalytic, Check.Points(40, -2, 2), Check.Points(41, 0.5, 2), "Locals");

    [Fact]
    public void Jvp_and_Vjp_of_a_scalar_function_agree_with_the_gradient()
    {
        double[] xs = Check.Points(42, -2, 2), ys = Check.Points(43, 0.5, 2), dxs = Check.Points(44, -1, 1), dys = Check.Points(45, -1, 1);
        for (int k = 0; k < xs.Length; k++)
        {
            double x = xs[k], y = ys[k];
            var (gx, gy) = LocalsAnalytic(x, y);
            var (value, tangent) = Scalars.LocalsJvp(x, y, dxs[k], dys[k]);
            Check.Close(Scalars.Locals(x, y), value, Check.Analytic, "Jvp value");
            Check.Close(gx * dxs[k] + gy * dys[k], tangent, Check.Analytic, $"Jvp tangent at ({x}, {y})");
            var (value2, cx, cy) = Scalars.LocalsVjp(x, y, dxs[k]);
            Check.Close(Scalars.Locals(x, y), value2, Check.Analytic, "Vjp value");
            Check.Close(gx * dxs[k], cx, Check.Analytic, $"Vjp x cotangent at ({x}, {y})");
            Check.Close(gy * dxs[k], cy, Check.Analytic, $"Vjp y cotangent at ({x}, {y})");
        }
    }

    // ---- Branches ----

    [Fact]
    public void Softplus_with_guard_branches()
    {
        double[] points = [-30, -25, .. Check.Points(50, -10, 10, 6), 25, 30];
        Agrees(Scalars.Softplus, Scalars.DSoftplus, x => x > 20 ? 1 : x < -20 ? Math.Exp(x) : 1 / (1 + Math.Exp(-x)), points, "Softplus");
        Assert.Equal(1, Scalars.DSoftplus(30));
        Assert.Equal(Math.Exp(-30), Scalars.DSoftplus(-30));
    }

    [Fact]
    public void Piecewise_function_away_from_its_kink()
    {
        double[] points = [.. Check.Points(51, -3, 0.9, 4), .. Check.Points(52, 1.1, 4, 4)];
        Agrees(Scalars.Piecewise, Scalars.DPiecewise, x => x < 1 ? 6 * x : 9, points, "Piecewise");
    }

    [Fact]
    public void If_without_else_and_a_constant_branch()
    {
        double[] points = [.. Check.Points(53, -3, -1.1, 3), .. Check.Points(54, -0.9, 1.9, 3), .. Check.Points(55, 2.1, 5, 3)];
        Agrees(Scalars.Clamped, Scalars.DClamped, x => x > 2 ? 2 * (2 + 0.1 * (x - 2)) * 0.1 : x < -1 ? 0 : 2 * x, points, "Clamped");
    }

    [Fact]
    public void Nested_early_returns()
    {
        static (double, double) Analytic(double x, double y)
        {
            double s = x + y;
            if (s > 1)
                return x > y ? (2 * s * x + s * s, 2 * s * x) : (2 * s * y, 2 * s * y + s * s);
            double e = Math.Exp(x);
            return (e + s * e, e - 1);
        }
        // One point per region and more, each kept away from x + y = 1 and x = y.
        double[] xs = [2.0, 0.3, -1.5, -0.4, 1.7, 0.2, -2.0, 0.9];
        double[] ys = [0.5, 1.8, 0.4, -0.9, 1.1, 1.4, 1.2, -0.6];
        Agrees2(Scalars.EarlyReturns, Scalars.EarlyReturnsGrad, Analytic, xs, ys, "EarlyReturns");
    }

    [Fact]
    public void Nested_ternaries()
    {
        double[] points = [.. Check.Points(56, -3, -1.1, 3), .. Check.Points(57, -0.9, 0.9, 3), .. Check.Points(58, 1.1, 4, 3)];
        Agrees(Scalars.Ternary, Scalars.DTernary, x => x > 1 ? (1 - x) * Math.Exp(-x) : x > -1 ? Math.Cos(x) * x + Math.Sin(x) : -3 * x * x, points, "Ternary");
    }

    // ---- Calls ----

    [Fact]
    public void Calls_of_differentiable_functions()
    {
        static double Analytic(double x)
        {
            double u = x * x - 1, sp = Math.Log(1 + Math.Exp(u)), sig = 1 / (1 + Math.Exp(-u));
            return 2 * Math.Sin(x) * Math.Cos(x) + sig * 2 * x * x * x + sp * 2 * x;
        }
        Agrees(Scalars.Calls, Scalars.DCalls, Analytic, Check.Points(60, -3, 3), "Calls");
    }

    [Fact]
    public void Calls_of_a_derived_function() =>
        Agrees(Scalars.CallsGrad, Scalars.DCallsGrad, x => 4 * x + 2, Check.Points(61, -3, 3), "CallsGrad");

    [Fact]
    public void Locals_named_like_generated_variables() =>
        Agrees(Scalars.LookAlikes, Scalars.DLookAlikes, x => 2 * Math.Sin(2 * x * x) + 8 * x * x * Math.Cos(2 * x * x), Check.Points(63, -1.5, 1.5), "LookAlikes");

    // ---- Loops over scalars ----

    [Fact]
    public void Loop_carried_term_to_the_third_derivative()
    {
        // Series = Σ_{k=1..7} x^k/k!, so the m-th derivative is Σ_{k=m..7} x^(k-m)/(k-m)!.
        static double Derivative(double x, int m)
        {
            double s = 0, term = 1;
            for (int k = m; k < 8; k++)
            {
                s += term;
                term *= x / (k - m + 1);
            }
            return s;
        }
        double[] points = Check.Points(64, -2, 2);
        Agrees(Scalars.Series, Scalars.DSeries, x => Derivative(x, 1), points, "Series");
        Agrees(Scalars.DSeries, Scalars.D2Series, x => Derivative(x, 2), points, "Series'");
        Agrees(Scalars.D2Series, Scalars.D3Series, x => Derivative(x, 3), points, "Series''");
    }

    [Fact]
    public void Loop_bounded_by_an_int_parameter()
    {
        static double Analytic(double x, int n)
        {
            double s = x, ds = 1;
            for (int i = 0; i < n; i++)
            {
                ds = ds * (0.5 + Math.Cos(s) * i);
                s = s * 0.5 + Math.Sin(s) * i;
            }
            return ds;
        }
        foreach (int n in new[] { 0, 1, 3, 5 })
            Agrees(x => Scalars.Iterate(x, n), x => Scalars.DIterate(x, n), x => Analytic(x, n), Check.Points(65 + n, -1, 1, 5), $"Iterate(n={n})");
    }

    [Fact]
    public void Mixed_partials_in_either_order()
    {
        double[] xs = Check.Points(70, -1.5, 1.5), ys = Check.Points(71, -1.5, 1.5);
        for (int k = 0; k < xs.Length; k++)
        {
            double x = xs[k], y = ys[k], expected = Math.Cos(x * y) - x * y * Math.Sin(x * y) + 2 * x;
            Check.Close(x * Math.Cos(x * y) + x * x, Scalars.MixedY(x, y), Check.Analytic, "∂Mixed/∂y");
            Check.Close(expected, Scalars.MixedYX(x, y), Check.Analytic, "∂²Mixed/∂x∂y");
            Check.Close(expected, Scalars.MixedXY(x, y), Check.Analytic, "∂²Mixed/∂y∂x");
            Check.Close(Check.Derivative(t => Scalars.MixedY(t, y), x), Scalars.MixedYX(x, y), Check.FiniteDifference, "∂²Mixed/∂x∂y vs finite difference");
            Check.Close(Check.Derivative(t => Scalars.MixedX(x, t), y), Scalars.MixedXY(x, y), Check.FiniteDifference, "∂²Mixed/∂y∂x vs finite difference");
        }
    }

    [Fact]
    public void Unused_parameter_has_zero_gradient() => Assert.Equal(0, Scalars.DIgnoresY(1.5, -2));

    // ---- float ----

    [Fact]
    public void Float_function_through_MathF()
    {
        // The reference is the double derivative; float rounding allows about 1e-6 relative, so the bound is 1e-4.
        static double Analytic(double x)
        {
            double sp = Math.Log(1 + Math.Exp(x)), sig = 1 / (1 + Math.Exp(-x));
            return sig * Math.Sin(x) + sp * Math.Cos(x) + x / Math.Sqrt(1 + x * x);
        }
        static double AsDouble(double x) => Math.Log(1 + Math.Exp(x)) * Math.Sin(x) + Math.Sqrt(1 + x * x);
        foreach (double p in Check.Points(62, -3, 3))
        {
            float x = (float)p;
            float d = Scalars.DSoftSinF(x);
            Check.Close(Analytic(x), d, 1e-4, $"SoftSinF'({x}) vs analytic");
            Check.Close(Check.Derivative(AsDouble, x), d, 1e-4, $"SoftSinF'({x}) vs finite difference");
        }
    }

    /// <summary>The derivative's arithmetic is regrouped; the value's is the user's, bit for bit.</summary>
    [Fact]
    public void ValueAndGrad_value_rounds_as_the_source_does()
    {
        foreach (double x in Check.Points(63, -3, 3))
        {
            var (value, gradient) = Scalars.RoundingValueAndGrad(x);
            Assert.Equal(Scalars.Rounding(x), value);
            Check.Close(1.3, gradient, Check.Analytic, $"Rounding'({x})");
        }
    }

    // ---- JAX conventions at non-differentiable points ----

    [Fact]
    public void Max_and_Min_split_ties_evenly()
    {
        Assert.Equal((0.5, 0.5), Scalars.DMax(2, 2));
        Assert.Equal((0.5, 0.5), Scalars.DMin(-1, -1));
        Assert.Equal(1, Scalars.DMaxSelf(1.5));
    }

    [Fact]
    public void Pow_at_zero_base_has_zero_exponent_derivative()
    {
        var (dx, dy) = Scalars.DPow(0, 2);
        Assert.Equal(0, dx);
        Assert.Equal(0, dy);
    }

    [Fact]
    public void Branch_at_its_boundary_takes_the_derivative_of_the_taken_branch()
    {
        Assert.Equal(9, Scalars.DPiecewise(1));        // x < 1 is false at 1: the else branch, slope 3·3.
        Assert.Equal(6 * 0.999, Scalars.DPiecewise(0.999), 12);
        Assert.Equal(Math.Exp(-20) / (1 + Math.Exp(-20)), Scalars.DSoftplus(-20), 15); // -20 is not < -20: middle branch.
    }
}
