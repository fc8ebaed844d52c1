using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Tuples in results and bodies, spans as parameters, held to analytic derivatives and central differences.</summary>
public class TupleTests
{
    private const int Trials = 6;

    [Fact]
    public void Tuple_results_are_pushed_forward_and_pulled_back_element_by_element()
    {
        double[] rs = Check.Points(500, 0.2, 3), thetas = Check.Points(501, -3, 3), a = Check.Points(502, -1, 1), c = Check.Points(503, -1, 1);
        for (int k = 0; k < rs.Length; k++)
        {
            double r = rs[k], t = thetas[k], cos = Math.Cos(t), sin = Math.Sin(t);
            var (x, y, dx, dy) = Tuples.PolarTangent(r, t, a[k], c[k]);
            Assert.Equal(Tuples.Polar(r, t), (x, y));
            Check.Close(cos * a[k] - r * sin * c[k], dx, Check.Analytic, "dx");
            Check.Close(sin * a[k] + r * cos * c[k], dy, Check.Analytic, "dy");
            Check.Close(Check.Derivative(v => Tuples.Polar(r + v * a[k], t + v * c[k]).X, 0), dx, Check.FiniteDifference, "dx vs finite difference");

            var (_, _, cr, ct) = Tuples.PolarPullback(r, t, a[k], c[k]);
            Check.Close(cos * a[k] + sin * c[k], cr, Check.Analytic, "r̄");
            Check.Close(-r * sin * a[k] + r * cos * c[k], ct, Check.Analytic, "θ̄");
        }
    }

    [Fact]
    public void A_tuple_of_an_array_and_a_scalar()
    {
        var random = new Random(504);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 4), dx = Check.Vector(random, 4);
            var (squares, sum, dSquares, dSum) = Tuples.SquaresAndSumTangent(x, dx);
            var (expectedSquares, expectedSum) = Tuples.SquaresAndSum(x);
            Assert.Equal(expectedSquares, squares);
            Assert.Equal(expectedSum, sum);
            for (int i = 0; i < x.Length; i++) Check.Close(2 * x[i] * dx[i], dSquares[i], Check.Analytic, $"d(x²)[{i}]");
            Check.Close(dx[0] + dx[1] + dx[2] + dx[3], dSum, Check.Analytic, "dΣ");
        }
    }

    [Fact]
    public void Deconstruction_tuple_locals_elements_and_swaps()
    {
        double[] rs = Check.Points(505, 0.2, 2), thetas = Check.Points(506, -2, 2);
        for (int k = 0; k < rs.Length; k++)
        {
            double r = rs[k], t = thetas[k];
            // Mixed = a - 2b + x y after the swap: a = y sin(x)... written out as the body computes it.
            static double Reference(double r, double t)
            {
                double x = r * Math.Cos(t), y = r * Math.Sin(t);
                double px = y * Math.Cos(x), py = y * Math.Sin(x);
                double a = px * Math.Cos(t), b = py * r * Math.Sin(0.5);
                return b - 2 * a + x * y;
            }
            Check.Close(Reference(r, t), Tuples.Mixed(r, t), Check.Analytic, "the body itself");
            var (gr, gt) = Tuples.MixedGrad(r, t);
            Check.Close(Check.Derivative(v => Reference(v, t), r), gr, Check.FiniteDifference, "∂/∂r vs finite difference");
            Check.Close(Check.Derivative(v => Reference(r, v), t), gt, Check.FiniteDifference, "∂/∂θ vs finite difference");
        }
    }

    [Fact]
    public void A_derived_tuple_deconstructed_and_differentiated_again()
    {
        foreach (double r in Check.Points(507, 0.2, 3))
        {
            var (gr, gt) = Tuples.PolarNormGrad(r, 0.7);
            Check.Close(1, gr, Check.Analytic, $"∂/∂r at {r}");
            Check.Close(0, gt, Check.Analytic, $"∂/∂θ at {r}");
        }
    }

    [Fact]
    public void Spans_in_arrays_out()
    {
        var random = new Random(508);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 3), x = Check.Vector(random, 3), dw = Check.Vector(random, 3), dx = Check.Vector(random, 3);
            var (value, gw, gx) = Tuples.WeightedAndGrad(w, x);
            Check.Close(Tuples.Weighted(w, x), value, Check.Analytic, "value");
            var expectedW = new double[3];
            var expectedX = new double[3];
            for (int i = 0; i < 3; i++) { expectedW[i] = x[i] * x[i]; expectedX[i] = 2 * w[i] * x[i]; }
            Check.Close(expectedW, gw, Check.Analytic, "∂/∂w");
            Check.Close(expectedX, gx, Check.Analytic, "∂/∂x");
            Check.Close(Check.Gradient(v => Tuples.Weighted(w, v), x), gx, Check.FiniteDifference, "∂/∂x vs finite difference");
            var (_, tangent) = Tuples.WeightedTangent(w, x, dw, dx);
            Check.Close(Check.Dot(expectedW, dw) + Check.Dot(expectedX, dx), tangent, Check.Analytic, "tangent");
        }
        Check.Close(new double[,] { { 2, 0, 0 }, { 0, 4, 0 }, { 0, 0, 6 } }, Tuples.WeightedInXHessian([0.3, -1, 2]), Check.Analytic, "H");
    }

    [Fact]
    public void Tuple_parameters_have_tuple_gradients_and_tangents()
    {
        double[] rs = Check.Points(510, 0.2, 3), thetas = Check.Points(511, -3, 3), drs = Check.Points(512, -1, 1), dts = Check.Points(513, -1, 1);
        for (int k = 0; k < rs.Length; k++)
        {
            var p = (R: rs[k], Theta: thetas[k]);
            var (gr, gt) = Tuples.AreaGrad(p);
            Check.Close(p.R * p.Theta, gr, Check.Analytic, "∂A/∂r");
            Check.Close(p.R * p.R / 2, gt, Check.Analytic, "∂A/∂θ");
            Check.Close(Check.Derivative(v => Tuples.Area((v, p.Theta)), p.R), gr, Check.FiniteDifference, "∂A/∂r vs finite difference");
            var (value, tangent) = Tuples.AreaTangent(p, (drs[k], dts[k]));
            Assert.Equal(Tuples.Area(p), value);
            Check.Close(gr * drs[k] + gt * dts[k], tangent, Check.Analytic, "tangent");

            var (gr2, gt2) = Tuples.AreaGradRGrad(p);
            Check.Close(p.Theta * p.Theta, gr2, Check.Analytic, "∂(rθ·θ)/∂r");
            Check.Close(2 * p.R * p.Theta, gt2, Check.Analytic, "∂(rθ·θ)/∂θ");
        }
        foreach (double x in Check.Points(514, -2, 2))
        {
            Check.Close(2 * x * x * x + 0.5, Tuples.AreasGrad(x), Check.Analytic, $"Areas' at {x}");
            Check.Close(Check.Derivative(Tuples.Areas, x), Tuples.AreasGrad(x), Check.FiniteDifference, $"Areas' at {x} vs finite difference");
        }
    }

    [Fact]
    public void Nested_tuple_parameters_beside_arrays()
    {
        var random = new Random(515);
        for (int t = 0; t < Trials; t++)
        {
            double[] v = Check.Vector(random, 5);
            var s = (Anchor: (X: v[0], Y: v[1]), K: 1 + v[2] * v[2]);
            double[] p = { v[3], v[4] };
            double ex = p[0] - s.Anchor.X, ey = p[1] - s.Anchor.Y;
            var (value, gs, gp) = Tuples.SpringAndGrad(s, p);
            Check.Close(Tuples.Spring(s, p), value, Check.Analytic, "value");
            Check.Close(-s.K * ex, gs.Anchor.X, Check.Analytic, "∂/∂a_x");
            Check.Close(-s.K * ey, gs.Anchor.Y, Check.Analytic, "∂/∂a_y");
            Check.Close((ex * ex + ey * ey) / 2, gs.K, Check.Analytic, "∂/∂k");
            Check.Close(Check.Derivative(k => Tuples.Spring((s.Anchor, k), p), s.K), gs.K, Check.FiniteDifference, "∂/∂k vs finite difference");
            Check.Close(new[] { s.K * ex, s.K * ey }, gp, Check.Analytic, "∂/∂p");
            Check.Close(new[,] { { s.K, 0 }, { 0, s.K } }, Tuples.SpringHessian(s, p), Check.Analytic, "H in p");
        }
    }
}
