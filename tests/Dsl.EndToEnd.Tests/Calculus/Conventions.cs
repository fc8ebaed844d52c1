using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>
/// Functions at their non-differentiable points, in both modes, for the conventions that
/// docs/transforms.md lists (each JAX's rule in jax/_src/lax/lax.py).
/// </summary>
public static partial class Conventions
{
    /// <summary>|x|.</summary>
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    /// <summary>x &gt;= 0 ? 1 : −1.</summary>
    [Grad(nameof(Abs))] public static partial double DAbs(double x);
    /// <summary>(|x|, x &gt;= 0 ? dx : −dx).</summary>
    [Jvp(nameof(Abs))] public static partial (double, double) AbsJvp(double x, double dx);
    /// <summary>0.1 |x|: the −0.1 of its derivative must stay a double.</summary>
    [Differentiable] public static double AbsTenth(double x) => 0.1 * Math.Abs(x);
    /// <summary>x &gt;= 0 ? 0.1 : −0.1.</summary>
    [Grad(nameof(AbsTenth))] public static partial double DAbsTenth(double x);

    /// <summary>max(x, y).</summary>
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    /// <summary>(1, 0), (0, 1), or (½, ½) at a tie.</summary>
    [Grad(nameof(Max), WithRespectTo = "x, y")] public static partial (double, double) DMax(double x, double y);
    /// <summary>Forward mode in both arguments.</summary>
    [Jvp(nameof(Max), WithRespectTo = "x, y")] public static partial (double, double) MaxJvp(double x, double y, double dx, double dy);
    /// <summary>min(x, y).</summary>
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    /// <summary>Forward mode in both arguments.</summary>
    [Jvp(nameof(Min), WithRespectTo = "x, y")] public static partial (double, double) MinJvp(double x, double y, double dx, double dy);
    /// <summary>max(x, x) = x.</summary>
    [Differentiable] public static double MaxSelf(double x) => Math.Max(x, x);
    /// <summary>½ + ½.</summary>
    [Grad(nameof(MaxSelf))] public static partial double DMaxSelf(double x);
    /// <summary>max(x, 0), the ReLU written with Math.Max.</summary>
    [Differentiable] public static double Relu(double x) => Math.Max(x, 0);
    /// <summary>1, 0, or ½ at 0.</summary>
    [Grad(nameof(Relu))] public static partial double DRelu(double x);

    /// <summary>sign(x) + floor(x) + ceiling(x) + round(x), each a step.</summary>
    [Differentiable] public static double Steps(double x) => Math.Sign(x) + Math.Floor(x) + Math.Ceiling(x) + Math.Round(x);
    /// <summary>0 everywhere, the jumps included.</summary>
    [Grad(nameof(Steps))] public static partial double DSteps(double x);
    /// <summary>Forward mode.</summary>
    [Jvp(nameof(Steps))] public static partial (double, double) StepsJvp(double x, double dx);

    /// <summary>√x.</summary>
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    /// <summary>0.5 / √x: +∞ at 0.</summary>
    [Grad(nameof(Sqrt))] public static partial double DSqrt(double x);
    /// <summary>Forward mode.</summary>
    [Jvp(nameof(Sqrt))] public static partial (double, double) SqrtJvp(double x, double dx);

    /// <summary>x &gt; 0 ? √x : 0: the side not taken has no derivative at x &lt; 0.</summary>
    [Differentiable] public static double RootTernary(double x) => x > 0 ? Math.Sqrt(x) : 0;
    /// <summary>x &gt; 0 ? 0.5 / √x : 0.</summary>
    [Grad(nameof(RootTernary))] public static partial double DRootTernary(double x);
    /// <summary>Forward mode.</summary>
    [Jvp(nameof(RootTernary))] public static partial (double, double) RootTernaryJvp(double x, double dx);
    /// <summary>The same with if and return.</summary>
    [Differentiable]
    public static double RootIf(double x)
    {
        if (x > 0) return Math.Sqrt(x);
        return 0;
    }
    /// <summary>x &gt; 0 ? 0.5 / √x : 0.</summary>
    [Grad(nameof(RootIf))] public static partial double DRootIf(double x);
    /// <summary>The root taken before the ternary: it is differentiated wherever it flows.</summary>
    [Differentiable]
    public static double RootBefore(double x)
    {
        double r = Math.Sqrt(x);
        return x > 0 ? r : 0;
    }
    /// <summary>NaN at x &lt; 0, as in JAX.</summary>
    [Grad(nameof(RootBefore))] public static partial double DRootBefore(double x);
    /// <summary>x &lt; 1 ? 3x² : 9x, taken at the boundary by the branch the condition selects.</summary>
    [Differentiable] public static double Kink(double x) => x < 1 ? 3 * x * x : 9 * x - 6;
    /// <summary>6x below 1, 9 from 1 on.</summary>
    [Grad(nameof(Kink))] public static partial double DKink(double x);

    /// <summary>x^y.</summary>
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    /// <summary>(y x^(y−1), ln(x) x^y with ln 0 read as ln 1).</summary>
    [Grad(nameof(Pow), WithRespectTo = "x, y")] public static partial (double, double) DPow(double x, double y);
    /// <summary>Forward mode in both arguments.</summary>
    [Jvp(nameof(Pow), WithRespectTo = "x, y")] public static partial (double, double) PowJvp(double x, double y, double dx, double dy);
    /// <summary>x⁰ = 1.</summary>
    [Differentiable] public static double PowZero(double x) => Math.Pow(x, 0);
    /// <summary>0, at 0 too.</summary>
    [Grad(nameof(PowZero))] public static partial double DPowZero(double x);
    /// <summary>x^n for an int n.</summary>
    [Differentiable] public static double PowInt(double x, int n) => Math.Pow(x, n);
    /// <summary>n x^(n−1), and 0 where n = 0.</summary>
    [Grad(nameof(PowInt))] public static partial double DPowInt(double x, int n);

    /// <summary>ln x.</summary>
    [Differentiable] public static double Log(double x) => Math.Log(x);
    /// <summary>1 / x: +∞ at 0.</summary>
    [Grad(nameof(Log))] public static partial double DLog(double x);

    /// <summary>atan2(y, x).</summary>
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    /// <summary>(x, −y) / (x² + y²): 0/0 at the origin.</summary>
    [Grad(nameof(Atan2), WithRespectTo = "y, x")] public static partial (double, double) DAtan2(double y, double x);
}
