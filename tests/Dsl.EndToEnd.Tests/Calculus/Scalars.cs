using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Scalar functions: polynomials, every Math function, locals, branches, calls, float, and the JAX conventions at kinks.</summary>
public static partial class Scalars
{
    // ---- Polynomials: derivatives of derivatives ----

    /// <summary>The seed: F' = 2x + 2, F'' = 2, F''' = 0.</summary>
    [Differentiable] public static double F(double x) => x * x + 2 * x + 1;
    /// <summary>F'.</summary>
    [Grad(nameof(F))] public static partial double DF(double x);
    /// <summary>F''.</summary>
    [Grad(nameof(DF))] public static partial double D2F(double x);
    /// <summary>F'''.</summary>
    [Grad(nameof(D2F))] public static partial double D3F(double x);

    /// <summary>A cubic: P' = 9x² - 4x + 1, P'' = 18x - 4, P''' = 18, P'''' = 0.</summary>
    [Differentiable] public static double P(double x) => 3 * x * x * x - 2 * x * x + x - 5;
    /// <summary>P'.</summary>
    [Grad(nameof(P))] public static partial double DP(double x);
    /// <summary>P''.</summary>
    [Grad(nameof(DP))] public static partial double D2P(double x);
    /// <summary>P'''.</summary>
    [Grad(nameof(D2P))] public static partial double D3P(double x);
    /// <summary>P''''.</summary>
    [Grad(nameof(D3P))] public static partial double D4P(double x);

    // ---- Every Math function, alone ----

    /// <summary>sin.</summary>
    [Differentiable] public static double Sin(double x) => Math.Sin(x);
    /// <summary>sin'.</summary>
    [Grad(nameof(Sin))] public static partial double DSin(double x);
    /// <summary>cos.</summary>
    [Differentiable] public static double Cos(double x) => Math.Cos(x);
    /// <summary>cos'.</summary>
    [Grad(nameof(Cos))] public static partial double DCos(double x);
    /// <summary>tan.</summary>
    [Differentiable] public static double Tan(double x) => Math.Tan(x);
    /// <summary>tan'.</summary>
    [Grad(nameof(Tan))] public static partial double DTan(double x);
    /// <summary>asin.</summary>
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    /// <summary>asin'.</summary>
    [Grad(nameof(Asin))] public static partial double DAsin(double x);
    /// <summary>acos.</summary>
    [Differentiable] public static double Acos(double x) => Math.Acos(x);
    /// <summary>acos'.</summary>
    [Grad(nameof(Acos))] public static partial double DAcos(double x);
    /// <summary>atan.</summary>
    [Differentiable] public static double Atan(double x) => Math.Atan(x);
    /// <summary>atan'.</summary>
    [Grad(nameof(Atan))] public static partial double DAtan(double x);
    /// <summary>sinh.</summary>
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    /// <summary>sinh'.</summary>
    [Grad(nameof(Sinh))] public static partial double DSinh(double x);
    /// <summary>cosh.</summary>
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    /// <summary>cosh'.</summary>
    [Grad(nameof(Cosh))] public static partial double DCosh(double x);
    /// <summary>tanh.</summary>
    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
    /// <summary>tanh'.</summary>
    [Grad(nameof(Tanh))] public static partial double DTanh(double x);
    /// <summary>exp.</summary>
    [Differentiable] public static double Exp(double x) => Math.Exp(x);
    /// <summary>exp'.</summary>
    [Grad(nameof(Exp))] public static partial double DExp(double x);
    /// <summary>ln.</summary>
    [Differentiable] public static double Log(double x) => Math.Log(x);
    /// <summary>ln'.</summary>
    [Grad(nameof(Log))] public static partial double DLog(double x);
    /// <summary>log10.</summary>
    [Differentiable] public static double Log10(double x) => Math.Log10(x);
    /// <summary>log10'.</summary>
    [Grad(nameof(Log10))] public static partial double DLog10(double x);
    /// <summary>sqrt.</summary>
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    /// <summary>sqrt'.</summary>
    [Grad(nameof(Sqrt))] public static partial double DSqrt(double x);
    /// <summary>|x|.</summary>
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    /// <summary>|x|'.</summary>
    [Grad(nameof(Abs))] public static partial double DAbs(double x);
    /// <summary>x^y.</summary>
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    /// <summary>(∂/∂x, ∂/∂y) of x^y.</summary>
    [Grad(nameof(Pow), WithRespectTo = "x, y")] public static partial (double, double) DPow(double x, double y);
    /// <summary>atan2(y, x).</summary>
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    /// <summary>(∂/∂y, ∂/∂x) of atan2(y, x).</summary>
    [Grad(nameof(Atan2), WithRespectTo = "y, x")] public static partial (double, double) DAtan2(double y, double x);
    /// <summary>max.</summary>
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    /// <summary>(∂/∂x, ∂/∂y) of max.</summary>
    [Grad(nameof(Max), WithRespectTo = "x, y")] public static partial (double, double) DMax(double x, double y);
    /// <summary>min.</summary>
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    /// <summary>(∂/∂x, ∂/∂y) of min.</summary>
    [Grad(nameof(Min), WithRespectTo = "x, y")] public static partial (double, double) DMin(double x, double y);

    /// <summary>Powers with a constant exponent or base.</summary>
    [Differentiable] public static double Powers(double x) => Math.Pow(x, 3) + Math.Pow(2, x) + Math.Pow(x, 0.5);
    /// <summary>3x² + ln2·2^x + 0.5/√x.</summary>
    [Grad(nameof(Powers))] public static partial double DPowers(double x);

    /// <summary>Piecewise-constant functions times x: their own derivative is 0, so the product's is the function.</summary>
    [Differentiable]
    public static double Steps(double x) => x * Math.Floor(x) + 2 * x * Math.Ceiling(x) + 3 * x * Math.Round(x) + 4 * x * Math.Sign(x);
    /// <summary>Floor(x) + 2 Ceiling(x) + 3 Round(x) + 4 Sign(x).</summary>
    [Grad(nameof(Steps))] public static partial double DSteps(double x);

    /// <summary>Several Math functions composed, through the product, quotient and chain rules.</summary>
    [Differentiable]
    public static double Mix(double x) => Math.Sin(x * x) * Math.Exp(-x) / (1 + Math.Sqrt(1 + x * x)) + Math.Atan(Math.Tanh(x) * 3) - Math.Log(Math.Cosh(x));
    /// <summary>Mix'.</summary>
    [Grad(nameof(Mix))] public static partial double DMix(double x);

    // ---- Locals and reassignment ----

    /// <summary>Every compound assignment, locals rewritten after they are read.</summary>
    [Differentiable]
    public static double Locals(double x, double y)
    {
        var a = x * y;
        var b = a + Math.Sin(x);
        a = a * b;
        a += y;
        a *= x;
        a -= b / y;
        a /= 2;
        return a;
    }
    /// <summary>∇Locals.</summary>
    [Grad(nameof(Locals), WithRespectTo = "x, y")] public static partial (double, double) LocalsGrad(double x, double y);
    /// <summary>Locals pushed forward along (dx, dy).</summary>
    [Jvp(nameof(Locals), WithRespectTo = "x, y")] public static partial (double, double) LocalsJvp(double x, double y, double dx, double dy);
    /// <summary>A cotangent of Locals pulled back onto x and y.</summary>
    [Vjp(nameof(Locals), WithRespectTo = "x, y")] public static partial (double, double, double) LocalsVjp(double x, double y, double ct);

    // ---- Branches ----

    /// <summary>Softplus with the usual guards, as early returns.</summary>
    [Differentiable]
    public static double Softplus(double x)
    {
        if (x > 20) return x;
        if (x < -20) return Math.Exp(x);
        return Math.Log(1 + Math.Exp(x));
    }
    /// <summary>Softplus' (the sigmoid on the middle branch).</summary>
    [Grad(nameof(Softplus))] public static partial double DSoftplus(double x);

    /// <summary>A piecewise function with a kink at 1, written with if/else assigning a local.</summary>
    [Differentiable]
    public static double Piecewise(double x)
    {
        double y = 0;
        if (x < 1)
        {
            y = x * x;
        }
        else
        {
            y = 3 * x - 2;
        }
        return 3 * y;
    }
    /// <summary>6x below 1, 9 above.</summary>
    [Grad(nameof(Piecewise))] public static partial double DPiecewise(double x);

    /// <summary>If without else, a local modified in one branch, constants in another.</summary>
    [Differentiable]
    public static double Clamped(double x)
    {
        var y = x;
        if (y > 2) y = 2 + 0.1 * (y - 2);
        if (y < -1)
        {
            y = -1;
        }
        return y * y;
    }
    /// <summary>Clamped'.</summary>
    [Grad(nameof(Clamped))] public static partial double DClamped(double x);

    /// <summary>Nested early returns reading a local made before the branch.</summary>
    [Differentiable]
    public static double EarlyReturns(double x, double y)
    {
        var s = x + y;
        if (s > 1)
        {
            var t = s * s;
            if (x > y) return t * x;
            return t * y;
        }
        s = s * Math.Exp(x);
        return s - y;
    }
    /// <summary>∇EarlyReturns.</summary>
    [Grad(nameof(EarlyReturns), WithRespectTo = "x, y")] public static partial (double, double) EarlyReturnsGrad(double x, double y);

    /// <summary>Nested ternaries, every branch defined everywhere.</summary>
    [Differentiable]
    public static double Ternary(double x) => x > 1 ? x * Math.Exp(-x) : x > -1 ? Math.Sin(x) * x : -x * x * x;
    /// <summary>Ternary'.</summary>
    [Grad(nameof(Ternary))] public static partial double DTernary(double x);

    // ---- Calls ----

    /// <summary>A helper called by <see cref="Calls"/>.</summary>
    [Differentiable] public static double Square(double x) => x * x;

    /// <summary>Calls of other differentiable functions, one with branches, nested; each result held in a local.</summary>
    [Differentiable]
    public static double Calls(double x)
    {
        var s = Softplus(Square(x) - 1);
        var q = Square(x);
        return Square(Math.Sin(x)) + s * q;
    }
    /// <summary>Calls'.</summary>
    [Grad(nameof(Calls))] public static partial double DCalls(double x);

    /// <summary>Calls a derived function: x·F'(x) = 2x² + 2x.</summary>
    [Differentiable] public static double CallsGrad(double x) => x * DF(x);
    /// <summary>4x + 2.</summary>
    [Grad(nameof(CallsGrad))] public static partial double DCallsGrad(double x);

    /// <summary>Locals named like the generator's own variables.</summary>
    [Differentiable]
    public static double LookAlikes(double x)
    {
        var x_bar = x * 2;
        var result = x_bar * x;
        var result_tape = Math.Sin(result);
        return result_tape * x_bar;
    }
    /// <summary>LookAlikes' = 2 sin(2x²) + 8x² cos(2x²).</summary>
    [Grad(nameof(LookAlikes))] public static partial double DLookAlikes(double x);

    // ---- Loops over scalars, int parameters ----

    /// <summary>exp's Taylor series to x⁷/7!, the term updated from the previous one.</summary>
    [Differentiable]
    public static double Series(double x)
    {
        double s = 0;
        double term = 1;
        for (int k = 1; k < 8; k++)
        {
            term = term * x / k;
            s += term;
        }
        return s;
    }
    /// <summary>The first derivative of Series.</summary>
    [Grad(nameof(Series))] public static partial double DSeries(double x);
    /// <summary>The second derivative of Series.</summary>
    [Grad(nameof(DSeries))] public static partial double D2Series(double x);
    /// <summary>The third derivative of Series.</summary>
    [Grad(nameof(D2Series))] public static partial double D3Series(double x);

    /// <summary>n steps of a nonlinear recurrence, the int loop index used as a number.</summary>
    [Differentiable]
    public static double Iterate(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++) s = s * 0.5 + Math.Sin(s) * i;
        return s;
    }
    /// <summary>∂/∂x.</summary>
    [Grad(nameof(Iterate))] public static partial double DIterate(double x, int n);

    // ---- Mixed partials, unused parameters ----

    /// <summary>sin(xy) + x²y.</summary>
    [Differentiable] public static double Mixed(double x, double y) => Math.Sin(x * y) + x * x * y;
    /// <summary>∂/∂y = x cos(xy) + x².</summary>
    [Grad(nameof(Mixed), WithRespectTo = "y")] public static partial double MixedY(double x, double y);
    /// <summary>∂²/∂x∂y = cos(xy) - xy sin(xy) + 2x.</summary>
    [Grad(nameof(MixedY), WithRespectTo = "x")] public static partial double MixedYX(double x, double y);
    /// <summary>∂/∂x = y cos(xy) + 2xy.</summary>
    [Grad(nameof(Mixed), WithRespectTo = "x")] public static partial double MixedX(double x, double y);
    /// <summary>∂²/∂y∂x, the same as <see cref="MixedYX"/>.</summary>
    [Grad(nameof(MixedX), WithRespectTo = "y")] public static partial double MixedXY(double x, double y);

    /// <summary>Independent of y.</summary>
    [Differentiable] public static double IgnoresY(double x, double y) => 3 * x;
    /// <summary>0.</summary>
    [Grad(nameof(IgnoresY), WithRespectTo = "y")] public static partial double DIgnoresY(double x, double y);

    // ---- The value of ValueAndGrad ----

    /// <summary>Sums whose constants a simplifier could fold, changing the rounding: the user's arithmetic must stay as written.</summary>
    [Differentiable] public static double Rounding(double x) => (x - 0.1) - 0.2 + x * 0.1 * 3;
    /// <summary>(Rounding(x), 1.3).</summary>
    [ValueAndGrad(nameof(Rounding))] public static partial (double, double) RoundingValueAndGrad(double x);

    // ---- float ----


    /// <summary>A float function through MathF.</summary>
    [Differentiable] public static float SoftSinF(float x) => MathF.Log(1 + MathF.Exp(x)) * MathF.Sin(x) + MathF.Sqrt(1 + x * x);
    /// <summary>SoftSinF'.</summary>
    [Grad(nameof(SoftSinF))] public static partial float DSoftSinF(float x);

    // ---- JAX conventions ----

    /// <summary>max of a value with itself: each argument gets half.</summary>
    [Differentiable] public static double MaxSelf(double x) => Math.Max(x, x);
    /// <summary>0.5 + 0.5.</summary>
    [Grad(nameof(MaxSelf))] public static partial double DMaxSelf(double x);
}
