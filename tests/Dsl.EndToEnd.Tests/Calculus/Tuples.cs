using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>The types: tuples returned and deconstructed, spans as parameters, across the transforms.</summary>
public static partial class Tuples
{
    /// <summary>Polar to Cartesian as a tuple: (r cos θ, r sin θ).</summary>
    [Differentiable] public static (double X, double Y) Polar(double r, double theta) => (r * Math.Cos(theta), r * Math.Sin(theta));

    /// <summary>Both outputs pushed forward along (dr, dθ): values, then tangents, flat.</summary>
    [Jvp(nameof(Polar), WithRespectTo = "r, theta")]
    public static partial (double X, double Y, double DX, double DY) PolarTangent(double r, double theta, double dr, double dtheta);

    /// <summary>A cotangent per output pulled back onto (r, θ).</summary>
    [Vjp(nameof(Polar), WithRespectTo = "r, theta")]
    public static partial (double X, double Y, double R, double Theta) PolarPullback(double r, double theta, double cx, double cy);

    /// <summary>A tuple with an array and a scalar, from a loop: (x², Σx).</summary>
    [Differentiable]
    public static (double[] Squares, double Sum) SquaresAndSum(double[] x)
    {
        var squares = new double[x.Length];
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            squares[i] = x[i] * x[i];
            sum += x[i];
        }
        return (squares, sum);
    }

    /// <summary>(value, tangent) of both elements.</summary>
    [Jvp(nameof(SquaresAndSum))]
    public static partial (double[] Squares, double Sum, double[] DSquares, double DSum) SquaresAndSumTangent(double[] x, double[] dx);

    /// <summary>
    /// Tuples used inside a body: deconstruction into new locals and a discard, a tuple local read
    /// by element name and by ItemN, a call's element read directly, a swap.
    /// </summary>
    [Differentiable]
    public static double Mixed(double r, double theta)
    {
        var (x, y) = Polar(r, theta);
        var p = Polar(y, x);
        (double a, _) = Polar(p.X, theta);
        double b = p.Item2 * Polar(r, 0.5).Y;
        (a, b) = (b, a);
        var (squares, sum) = SquaresAndSum(new[] { 0.0 });
        return a - 2 * b + x * y + sum;
    }

    /// <summary>∂/∂r and ∂/∂θ of <see cref="Mixed"/>.</summary>
    [Grad(nameof(Mixed), WithRespectTo = "r, theta")]
    public static partial (double R, double Theta) MixedGrad(double r, double theta);

    /// <summary>A derived function's tuple deconstructed by a caller, and differentiated again.</summary>
    [Differentiable]
    public static double PolarNorm(double r, double theta)
    {
        var (x, y, dx, dy) = PolarTangent(r, theta, 1, 0);
        return x * dx + y * dy;
    }

    /// <summary>r (cos² + sin²) differentiated: 1 in r, 0 in θ.</summary>
    [Grad(nameof(PolarNorm), WithRespectTo = "r, theta")]
    public static partial (double R, double Theta) PolarNormGrad(double r, double theta);

    // ---- Spans ----

    /// <summary>Σ w_i x_i² over spans.</summary>
    [Differentiable]
    public static double Weighted(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * x[i] * x[i];
        return s;
    }

    /// <summary>Value and both gradients, spans in, arrays out.</summary>
    [ValueAndGrad(nameof(Weighted), WithRespectTo = "w, x")]
    public static partial (double Value, double[] W, double[] X) WeightedAndGrad(ReadOnlySpan<double> w, ReadOnlySpan<double> x);

    /// <summary>Tangent along (dw, dx), all spans.</summary>
    [Jvp(nameof(Weighted), WithRespectTo = "w, x")]
    public static partial (double Value, double Tangent) WeightedTangent(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> dw, ReadOnlySpan<double> dx);

    /// <summary>The Hessian in x: diag(2w).</summary>
    [Differentiable] public static double WeightedInX(ReadOnlySpan<double> x) => Weighted(new[] { 1.0, 2.0, 3.0 }, x);

    /// <summary>diag(2, 4, 6).</summary>
    [Hessian(nameof(WeightedInX))] public static partial double[,] WeightedInXHessian(double[] x);

    // ---- Tuples as parameters ----

    /// <summary>A sector's area r²θ/2, the point given as a tuple.</summary>
    [Differentiable] public static double Area((double R, double Theta) p) => p.R * p.R * p.Theta / 2;

    /// <summary>The gradient of a tuple parameter is a tuple: (rθ, r²/2).</summary>
    [Grad(nameof(Area))] public static partial (double R, double Theta) AreaGrad((double R, double Theta) p);

    /// <summary>A tuple's tangent is a tuple too.</summary>
    [Jvp(nameof(Area))] public static partial (double Value, double Tangent) AreaTangent((double R, double Theta) p, (double R, double Theta) dp);

    /// <summary>Tuples passed to a function from a body, literal and element by element: x⁴/2 + x/2.</summary>
    [Differentiable] public static double Areas(double x) => Area((x, x * x)) + Area((1, x));

    /// <summary>2x³ + 1/2.</summary>
    [Grad(nameof(Areas))] public static partial double AreasGrad(double x);

    /// <summary>
    /// A spring from an anchor with stiffness k to the point p, with nested tuple and array
    /// parameters: k((p₀ − a_x)² + (p₁ − a_y)²)/2.
    /// </summary>
    [Differentiable]
    public static double Spring(((double X, double Y) Anchor, double K) s, double[] p) =>
        s.K * ((p[0] - s.Anchor.X) * (p[0] - s.Anchor.X) + (p[1] - s.Anchor.Y) * (p[1] - s.Anchor.Y)) / 2;

    /// <summary>((∂/∂a_x, ∂/∂a_y), ∂/∂k) and ∂/∂p, with a nested tuple's gradient nested the same way.</summary>
    [ValueAndGrad(nameof(Spring), WithRespectTo = "s, p")]
    public static partial (double Value, ((double X, double Y) Anchor, double K) S, double[] P) SpringAndGrad(((double X, double Y) Anchor, double K) s, double[] p);

    /// <summary>The Hessian in p, the tuple passed through: k·I.</summary>
    [Hessian(nameof(Spring), WithRespectTo = "p")]
    public static partial double[,] SpringHessian(((double X, double Y) Anchor, double K) s, double[] p);

    /// <summary>A derived function of a tuple called from a body and differentiated again: (rθ)·θ.</summary>
    [Differentiable] public static double AreaGradR((double R, double Theta) p) => AreaGrad(p).R * p.Theta;

    /// <summary>(θ², 2rθ).</summary>
    [Grad(nameof(AreaGradR))] public static partial (double R, double Theta) AreaGradRGrad((double R, double Theta) p);
}
