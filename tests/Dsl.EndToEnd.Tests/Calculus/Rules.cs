using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>
/// JAX's custom_vjp and custom_jvp: functions whose derivative is a user rule, used alone, in
/// loops, inside other functions, and differentiated again.
/// </summary>
public static partial class Rules
{
    // ---- A safe square root: the rule's value at 0 replaces the body's infinity ----

    /// <summary>√x.</summary>
    [Differentiable] public static double SafeSqrt(double x) => Math.Sqrt(x);

    /// <summary>1/(2√x), and 0 at 0 where the true derivative is infinite.</summary>
    [CustomVjp(nameof(SafeSqrt))]
    public static double SafeSqrtVjp(double x, double result, double cotangent) => result > 0 ? cotangent / (2 * result) : 0;

    /// <summary>The rule, as a gradient.</summary>
    [Grad(nameof(SafeSqrt))] public static partial double DSafeSqrt(double x);

    /// <summary>The rule's derivative: −1/(4 x^1.5) (the rule is differentiated as plain code).</summary>
    [Grad(nameof(DSafeSqrt))] public static partial double D2SafeSqrt(double x);

    // ---- A stable softplus with a reverse rule ----

    /// <summary>log(1 + eˣ), written so it does not overflow.</summary>
    [Differentiable] public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>
    /// σ(x) in the form that cannot overflow on either side. An if, not a ternary: the derivative of
    /// a ternary multiplies the untaken side's derivative by 0, and 0 · ∞ is NaN (JAX's
    /// <c>where</c> has the same trap); a branch is differentiated only where it is taken.
    /// </summary>
    [CustomVjp(nameof(Softplus))]
    public static double SoftplusVjp(double x, double result, double cotangent)
    {
        if (x > 0)
            return cotangent / (1 + Math.Exp(-x));
        return cotangent * Math.Exp(x) / (1 + Math.Exp(x));
    }

    /// <summary>x · softplus(x), whose second derivative goes through the rule twice.</summary>
    [Differentiable] public static double XSoftplus(double x) => x * Softplus(x);

    /// <summary>softplus(x) + x σ(x).</summary>
    [Grad(nameof(XSoftplus))] public static partial double DXSoftplus(double x);

    /// <summary>2σ(x) + x σ(x)(1 − σ(x)): the gradient of a gradient, through the rule.</summary>
    [Grad(nameof(DXSoftplus))] public static partial double D2XSoftplus(double x);

    /// <summary>A recurrence that calls the ruled function once per iteration.</summary>
    [Differentiable]
    public static double Recurrence(double x, int steps)
    {
        double h = x;
        for (int i = 0; i < steps; i++)
            h = Softplus(h * x - 1) + 0.5 * h;
        return h;
    }

    /// <summary>∂/∂x of the recurrence: the rule inside a loop, with the loop's values taped.</summary>
    [Grad(nameof(Recurrence))] public static partial double DRecurrence(double x, int steps);

    /// <summary>∂²/∂x²: the rule inside a loop inside a gradient of a gradient.</summary>
    [Grad(nameof(DRecurrence))] public static partial double D2Recurrence(double x, int steps);

    // ---- Stopping a gradient ----

    /// <summary>The identity, whose gradient is stopped (JAX's stop_gradient, written as a rule).</summary>
    [Differentiable] public static double StopGradient(double x) => x;

    /// <summary>No gradient flows back.</summary>
    [CustomVjp(nameof(StopGradient))]
    public static double StopGradientVjp(double x, double result, double cotangent) => 0;

    /// <summary>x · stop(x²): the derivative treats the second factor as a constant.</summary>
    [Differentiable] public static double HalfStopped(double x) => x * StopGradient(x * x);

    /// <summary>x², not 3x².</summary>
    [Grad(nameof(HalfStopped))] public static partial double DHalfStopped(double x);

    // ---- A norm that is safe at 0, on arrays ----

    /// <summary>‖v‖ over the first n elements.</summary>
    [Differentiable]
    public static double SafeNorm(double[] v, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += v[i] * v[i];
        return Math.Sqrt(s);
    }

    /// <summary>v/‖v‖ (an array cotangent), and 0 at v = 0.</summary>
    [CustomVjp(nameof(SafeNorm))]
    public static double[] SafeNormVjp(double[] v, int n, double result, double cotangent)
    {
        var g = new double[v.Length];
        for (int i = 0; i < n; i++)
            g[i] = result > 0 ? cotangent * v[i] / result : 0;
        return g;
    }

    /// <summary>‖v‖ + ‖2v‖².</summary>
    [Differentiable]
    public static double NormEnergy(double[] v)
    {
        var twice = new double[v.Length];
        for (int i = 0; i < v.Length; i++) twice[i] = 2 * v[i];
        double m = SafeNorm(twice, v.Length);
        return SafeNorm(v, v.Length) + m * m;
    }

    /// <summary>v/‖v‖ + 8v, finite at 0.</summary>
    [Grad(nameof(NormEnergy))] public static partial double[] NormEnergyGrad(double[] v);

    /// <summary>(‖p‖, 2‖p‖) for p ∈ R²: a Jacobian through a function with only a reverse rule is built by rows.</summary>
    [Differentiable]
    public static double[] Norms(double[] p)
    {
        var r = new double[2];
        double n = SafeNorm(p, 2);
        r[0] = n;
        r[1] = 2 * n;
        return r;
    }

    /// <summary>[[p/‖p‖], [2p/‖p‖]].</summary>
    [Jacobian(nameof(Norms))] public static partial double[,] NormsJacobian(double[] p);

    // ---- A forward rule that serves both modes ----

    /// <summary>log(1 + eˣ), with a forward rule.</summary>
    [Differentiable] public static double SoftplusF(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>σ(x) dx: linear in the tangent.</summary>
    [CustomJvp(nameof(SoftplusF))]
    public static double SoftplusFJvp(double x, double result, double dx) => dx / (1 + Math.Exp(-x));

    /// <summary>Σ softplus(w_i x_i).</summary>
    [Differentiable]
    public static double SoftplusLayer(double[] w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += SoftplusF(w[i] * x[i]);
        return s;
    }

    /// <summary>x_i σ(w_i x_i): reverse mode transposes the forward rule.</summary>
    [Grad(nameof(SoftplusLayer))] public static partial double[] SoftplusLayerGrad(double[] w, double[] x);

    /// <summary>Σ x_i σ(w_i x_i) dw_i: forward mode uses the rule as it is.</summary>
    [Jvp(nameof(SoftplusLayer))] public static partial (double Value, double Tangent) SoftplusLayerTangent(double[] w, double[] x, double[] dw);

    /// <summary>diag(x_i² σ(1 − σ)): forward over reverse, through the rule both ways.</summary>
    [Hessian(nameof(SoftplusLayer))] public static partial double[,] SoftplusLayerHessian(double[] w, double[] x);

    // ---- Both rules: each mode takes its own ----

    /// <summary>x³.</summary>
    [Differentiable] public static double Cube(double x) => x * x * x;

    /// <summary>3x² · cotangent, clipped to [−1, 1]: reverse mode's rule.</summary>
    [CustomVjp(nameof(Cube))]
    public static double CubeVjp(double x, double result, double cotangent) => Math.Max(-1, Math.Min(1, 3 * x * x * cotangent));

    /// <summary>3x² dx, unclipped: forward mode's rule.</summary>
    [CustomJvp(nameof(Cube))]
    public static double CubeJvp(double x, double result, double dx) => 3 * x * x * dx;

    /// <summary>The clipped derivative.</summary>
    [Grad(nameof(Cube))] public static partial double DCube(double x);

    /// <summary>The unclipped tangent.</summary>
    [Jvp(nameof(Cube))] public static partial (double Value, double Tangent) CubeTangent(double x, double dx);

    // ---- float ----

    /// <summary>√x in float, with a safe rule.</summary>
    [Differentiable] public static float SafeSqrtF(float x) => MathF.Sqrt(x);

    /// <summary>1/(2√x), 0 at 0.</summary>
    [CustomVjp(nameof(SafeSqrtF))]
    public static float SafeSqrtFVjp(float x, float result, float cotangent) => result > 0 ? cotangent / (2 * result) : 0;

    /// <summary>Σ √x_i.</summary>
    [Differentiable]
    public static float SqrtSum(float[] x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += SafeSqrtF(x[i]);
        return s;
    }

    /// <summary>1/(2√x_i), 0 where x_i = 0.</summary>
    [Grad(nameof(SqrtSum))] public static partial float[] SqrtSumGrad(float[] x);

    // ---- Several parameters: a tuple of cotangents; array tangents transposed ----

    /// <summary>√(a² + b²).</summary>
    [Differentiable] public static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

    /// <summary>(a/r, b/r)·cotangent, 0 at the origin: a tuple, one cotangent per parameter.</summary>
    [CustomVjp(nameof(Hypot))]
    public static (double, double) HypotVjp(double a, double b, double result, double cotangent) =>
        result > 0 ? (cotangent * a / result, cotangent * b / result) : (0, 0);

    /// <summary>hypot(x, 2x) + hypot(3, x).</summary>
    [Differentiable] public static double Hypots(double x) => Hypot(x, 2 * x) + Hypot(3, x);

    /// <summary>√5 sign(x) + x/√(9 + x²).</summary>
    [Grad(nameof(Hypots))] public static partial double HypotsGrad(double x);

    /// <summary>Σ v_i² over the first n, with a forward rule whose tangent is an array.</summary>
    [Differentiable]
    public static double SquaredNorm(double[] v, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += v[i] * v[i];
        return s;
    }

    /// <summary>2 v·dv, linear in dv.</summary>
    [CustomJvp(nameof(SquaredNorm))]
    public static double SquaredNormJvp(double[] v, int n, double result, double[] dv)
    {
        double t = 0;
        for (int i = 0; i < n; i++) t += 2 * v[i] * dv[i];
        return t;
    }

    /// <summary>‖v‖² · w₀ for v = w scaled by 3.</summary>
    [Differentiable]
    public static double ScaledSquaredNorm(double[] w)
    {
        var v = new double[w.Length];
        for (int i = 0; i < w.Length; i++) v[i] = 3 * w[i];
        return SquaredNorm(v, w.Length) * w[0];
    }

    /// <summary>18 w w₀ + 9‖w‖² e₀: reverse mode through the transposed array rule.</summary>
    [Grad(nameof(ScaledSquaredNorm))] public static partial double[] ScaledSquaredNormGrad(double[] w);

    /// <summary>Forward mode through the same rule.</summary>
    [Jvp(nameof(ScaledSquaredNorm))] public static partial (double Value, double Tangent) ScaledSquaredNormTangent(double[] w, double[] dw);
}
