using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Custom derivative rules, held to analytic derivatives and central differences.</summary>
public class RuleTests
{
    private const int Trials = 6;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void A_reverse_rule_replaces_the_body_and_is_differentiated_again()
    {
        foreach (double x in Check.Points(400, 0.1, 5))
        {
            Check.Close(0.5 / Math.Sqrt(x), Rules.DSafeSqrt(x), Check.Analytic, $"√' at {x}");
            Check.Close(Check.Derivative(Rules.SafeSqrt, x), Rules.DSafeSqrt(x), Check.FiniteDifference, $"√' at {x} vs finite difference");
            Check.Close(-0.25 / (x * Math.Sqrt(x)), Rules.D2SafeSqrt(x), Check.Analytic, $"√'' at {x}");
            Check.Close(Check.Derivative(Rules.DSafeSqrt, x), Rules.D2SafeSqrt(x), Check.FiniteDifference, $"√'' at {x} vs finite difference");
        }
        // At 0 the body's derivative is infinite; the rule says 0.
        Assert.Equal(0, Rules.DSafeSqrt(0));
    }

    [Fact]
    public void A_stable_rule_inside_a_gradient_of_a_gradient()
    {
        double[] points = [-800, -40, .. Check.Points(401, -6, 6), 40, 800];
        foreach (double x in points)
        {
            double s = Sigmoid(x), softplus = x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
            Check.Close(softplus + x * s, Rules.DXSoftplus(x), Check.Analytic, $"(x softplus)' at {x}");
            Check.Close(2 * s + x * s * (1 - s), Rules.D2XSoftplus(x), Check.Analytic, $"(x softplus)'' at {x}");
            Assert.False(double.IsNaN(Rules.D2XSoftplus(x)), $"NaN at {x}");
            if (Math.Abs(x) < 10)
            {
                Check.Close(Check.Derivative(Rules.XSoftplus, x), Rules.DXSoftplus(x), Check.FiniteDifference, $"(x softplus)' at {x} vs finite difference");
                Check.Close(Check.Derivative(Rules.DXSoftplus, x), Rules.D2XSoftplus(x), Check.FiniteDifference, $"(x softplus)'' at {x} vs finite difference");
            }
        }
    }

    [Fact]
    public void A_rule_inside_a_loop_and_a_gradient_of_a_gradient()
    {
        foreach (double x in Check.Points(402, -1.5, 1.5))
        {
            // Forward-mode reference: h' and h'' carried through the recurrence by hand.
            double h = x, dh = 1, d2h = 0;
            for (int i = 0; i < 4; i++)
            {
                double u = h * x - 1, du = dh * x + h, d2u = d2h * x + 2 * dh;
                double s = Sigmoid(u);
                (h, dh, d2h) = (Rules.Softplus(u) + 0.5 * h, s * du + 0.5 * dh, s * (1 - s) * du * du + s * d2u + 0.5 * d2h);
            }
            Check.Close(dh, Rules.DRecurrence(x, 4), Check.Analytic, $"h' at {x}");
            Check.Close(Check.Derivative(v => Rules.Recurrence(v, 4), x), Rules.DRecurrence(x, 4), Check.FiniteDifference, $"h' at {x} vs finite difference");
            Check.Close(d2h, Rules.D2Recurrence(x, 4), Check.Analytic, $"h'' at {x}");
            Check.Close(Check.Derivative(v => Rules.DRecurrence(v, 4), x), Rules.D2Recurrence(x, 4), Check.FiniteDifference, $"h'' at {x} vs finite difference");
        }
    }

    [Fact]
    public void A_rule_can_stop_a_gradient()
    {
        foreach (double x in Check.Points(403, -3, 3))
            Assert.Equal(x * x, Rules.DHalfStopped(x));
    }

    [Fact]
    public void An_array_rule_is_safe_at_zero_and_right_elsewhere()
    {
        var random = new Random(404);
        for (int t = 0; t < Trials; t++)
        {
            double[] v = Check.Vector(random, 4);
            double norm = Math.Sqrt(Check.Dot(v, v));
            var analytic = new double[v.Length];
            for (int i = 0; i < v.Length; i++) analytic[i] = v[i] / norm + 8 * v[i];
            Check.Close(analytic, Rules.NormEnergyGrad(v), Check.Analytic, "∇(‖v‖ + ‖2v‖²) vs analytic");
            Check.Close(Check.Gradient(Rules.NormEnergy, v), Rules.NormEnergyGrad(v), Check.FiniteDifference, "∇(‖v‖ + ‖2v‖²) vs finite difference");
        }
        Assert.Equal(new double[4], Rules.NormEnergyGrad(new double[4]));
    }

    [Fact]
    public void A_jacobian_through_a_reverse_rule_takes_rows()
    {
        var random = new Random(405);
        for (int t = 0; t < Trials; t++)
        {
            double[] p = Check.Vector(random, 2);
            double norm = Math.Sqrt(Check.Dot(p, p));
            var analytic = new[,] { { p[0] / norm, p[1] / norm }, { 2 * p[0] / norm, 2 * p[1] / norm } };
            Check.Close(analytic, Rules.NormsJacobian(p), Check.Analytic, "J vs analytic");
            Check.Close(Check.Jacobian(Rules.Norms, p), Rules.NormsJacobian(p), Check.FiniteDifference, "J vs finite difference");
        }
    }

    [Fact]
    public void A_forward_rule_serves_grad_jvp_and_hessian()
    {
        var random = new Random(406);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), x = Check.Vector(random, 4, -3, 3), dw = Check.Vector(random, 4);
            var grad = new double[4];
            var hessian = new double[4, 4];
            for (int i = 0; i < 4; i++)
            {
                double s = Sigmoid(w[i] * x[i]);
                grad[i] = x[i] * s;
                hessian[i, i] = x[i] * x[i] * s * (1 - s);
            }
            Check.Close(grad, Rules.SoftplusLayerGrad(w, x), Check.Analytic, "∇ vs analytic");
            Check.Close(Check.Gradient(v => Rules.SoftplusLayer(v, x), w), Rules.SoftplusLayerGrad(w, x), Check.FiniteDifference, "∇ vs finite difference");
            var (value, tangent) = Rules.SoftplusLayerTangent(w, x, dw);
            Check.Close(Rules.SoftplusLayer(w, x), value, Check.Analytic, "Jvp value");
            Check.Close(Check.Dot(grad, dw), tangent, Check.Analytic, "Jvp tangent vs analytic");
            Check.Close(hessian, Rules.SoftplusLayerHessian(w, x), Check.Analytic, "H vs analytic");
            Check.Close(Check.Jacobian(v => Rules.SoftplusLayerGrad(v, x), w), Rules.SoftplusLayerHessian(w, x), Check.FiniteDifference, "H vs finite difference of ∇");
        }
    }

    [Fact]
    public void With_both_rules_each_mode_takes_its_own()
    {
        foreach (double x in Check.Points(407, -2, 2))
        {
            Check.Close(Math.Max(-1, Math.Min(1, 3 * x * x)), Rules.DCube(x), Check.Analytic, $"clipped reverse rule at {x}");
            var (value, tangent) = Rules.CubeTangent(x, 1);
            Assert.Equal(x * x * x, value);
            Check.Close(3 * x * x, tangent, Check.Analytic, $"forward rule at {x}");
        }
    }

    [Fact]
    public void A_float_rule_in_a_loop()
    {
        float[] x = { 0, 0.25f, 1, 4, 9 };
        float[] grad = Rules.SqrtSumGrad(x);
        Assert.Equal(0, grad[0]);
        for (int i = 1; i < x.Length; i++)
            Check.Close(0.5 / Math.Sqrt(x[i]), grad[i], 1e-6, $"∂/∂x[{i}] in float");
    }

    [Fact]
    public void A_rule_of_two_parameters_returns_a_tuple_of_cotangents()
    {
        foreach (double x in Check.Points(408, -3, 3))
        {
            double analytic = Math.Sqrt(5) * Math.Sign(x) + x / Math.Sqrt(9 + x * x);
            Check.Close(analytic, Rules.HypotsGrad(x), Check.Analytic, $"hypots' at {x}");
            Check.Close(Check.Derivative(Rules.Hypots, x), Rules.HypotsGrad(x), Check.FiniteDifference, $"hypots' at {x} vs finite difference");
        }
        Assert.Equal(0, Rules.HypotsGrad(0));
    }

    [Fact]
    public void A_forward_rule_with_an_array_tangent_serves_reverse_mode_transposed()
    {
        var random = new Random(409);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), dw = Check.Vector(random, 4);
            double norm2 = Check.Dot(w, w);
            var analytic = new double[w.Length];
            for (int i = 0; i < w.Length; i++) analytic[i] = 18 * w[i] * w[0];
            analytic[0] += 9 * norm2;
            Check.Close(analytic, Rules.ScaledSquaredNormGrad(w), Check.Analytic, "∇ vs analytic");
            Check.Close(Check.Gradient(Rules.ScaledSquaredNorm, w), Rules.ScaledSquaredNormGrad(w), Check.FiniteDifference, "∇ vs finite difference");
            var (value, tangent) = Rules.ScaledSquaredNormTangent(w, dw);
            Check.Close(Rules.ScaledSquaredNorm(w), value, Check.Analytic, "value");
            Check.Close(Check.Dot(analytic, dw), tangent, Check.Analytic, "tangent");
        }
    }
}
