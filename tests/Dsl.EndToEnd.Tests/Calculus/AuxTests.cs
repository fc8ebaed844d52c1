using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>has_aux gradients: the value differentiated, the aux returned exactly as the source computes it.</summary>
public class AuxTests
{
    private const int Trials = 6;

    /// <summary>Four rows of two features and their labels.</summary>
    private static (double[] X, double[] Y) Data(Random random) => (Check.Vector(random, 8), Check.Vector(random, 4, 0, 1));

    /// <summary>(2/N) Σ e_n (x_n, 1), with e_n = w·x_n + b − y_n.</summary>
    private static (double[] W, double B) Analytic(double[] w, double b, double[] x, double[] y)
    {
        var gw = new double[2];
        double gb = 0;
        for (int n = 0; n < y.Length; n++)
        {
            double e = w[0] * x[2 * n] + w[1] * x[2 * n + 1] + b - y[n];
            gw[0] += 2 * e * x[2 * n] / y.Length;
            gw[1] += 2 * e * x[2 * n + 1] / y.Length;
            gb += 2 * e / y.Length;
        }
        return (gw, gb);
    }

    [Fact]
    public void Grad_returns_the_gradient_of_the_value_and_the_aux_unchanged()
    {
        var random = new Random(300);
        for (int t = 0; t < Trials; t++)
        {
            var (x, y) = Data(random);
            double[] w = Check.Vector(random, 2);
            double b = random.NextDouble() - 0.5;
            var (grad, (correct, predictions)) = Aux.LossGrad(w, b, x, y);
            var (_, (expectedCorrect, expectedPredictions)) = Aux.LossWithStats(w, b, x, y);

            Check.Close(Analytic(w, b, x, y).W, grad, Check.Analytic, "∇w vs analytic");
            Check.Close(Check.Gradient(v => Aux.LossWithStats(v, b, x, y).Loss, w), grad, Check.FiniteDifference, "∇w vs finite difference");
            Assert.Equal(expectedCorrect, correct);
            Assert.Equal(expectedPredictions, predictions);
        }
    }

    [Fact]
    public void ValueAndGrad_nests_value_and_aux_as_jax_does()
    {
        var random = new Random(301);
        for (int t = 0; t < Trials; t++)
        {
            var (x, y) = Data(random);
            double[] w = Check.Vector(random, 2);
            double b = random.NextDouble() - 0.5;
            var ((loss, (correct, predictions)), gw, gb) = Aux.LossAndGrad(w, b, x, y);
            var (expectedLoss, (expectedCorrect, expectedPredictions)) = Aux.LossWithStats(w, b, x, y);
            var (aw, ab) = Analytic(w, b, x, y);

            Check.Close(expectedLoss, loss, Check.Analytic, "loss");
            Check.Close(aw, gw, Check.Analytic, "∂/∂w vs analytic");
            Check.Close(ab, gb, Check.Analytic, "∂/∂b vs analytic");
            Check.Close(Check.Derivative(v => Aux.LossWithStats(w, v, x, y).Loss, b), gb, Check.FiniteDifference, "∂/∂b vs finite difference");
            Assert.Equal(expectedCorrect, correct);
            Assert.Equal(expectedPredictions, predictions);
        }
    }

    [Fact]
    public void An_aux_that_the_reverse_sweep_restores_comes_back_as_the_loop_left_it()
    {
        var random = new Random(302);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -0.5, 0.5);
            var (grad, product) = Aux.ProductSquaredGrad(x);
            double p = 1;
            foreach (double v in x) p *= 1 + v;
            var analytic = new double[x.Length];
            for (int i = 0; i < x.Length; i++) analytic[i] = 2 * p * p / (1 + x[i]);

            Assert.Equal(Aux.ProductSquared(x).Product, product);
            Check.Close(analytic, grad, Check.Analytic, "∇p² vs analytic");
            Check.Close(Check.Gradient(v => Aux.ProductSquared(v).Square, x), grad, Check.FiniteDifference, "∇p² vs finite difference");
        }
    }

    [Fact]
    public void Branches_and_an_int_in_the_aux()
    {
        foreach (double x in Check.Points(303, -3, 3))
        {
            var (grad, (negative, square)) = Aux.SignedSquareGrad(x);
            var ((value, (negative2, square2)), grad2) = Aux.SignedSquareValueAndGrad(x);
            Check.Close(2 * Math.Abs(x), grad, Check.Analytic, $"d(|x|x)/dx at {x}");
            Check.Close(Check.Derivative(v => Aux.SignedSquare(v).Value, x), grad, Check.FiniteDifference, $"d(|x|x)/dx at {x} vs finite difference");
            Assert.Equal(grad, grad2);
            Assert.Equal(Aux.SignedSquare(x).Value, value);
            Assert.Equal(x < 0 ? 1 : 0, negative);
            Assert.Equal(negative, negative2);
            Assert.Equal(x * x, square);
            Assert.Equal(square, square2);
        }
    }

    [Fact]
    public void Float_value_and_aux()
    {
        var random = new Random(304);
        for (int t = 0; t < Trials; t++)
        {
            float[] x = Array.ConvertAll(Check.Vector(random, 4, -2, 2), v => (float)v);
            var (grad, largest) = Aux.TanhSumGrad(x);
            Assert.Equal(Aux.TanhSum(x).Largest, largest);
            for (int i = 0; i < x.Length; i++)
            {
                double th = Math.Tanh(x[i]);
                Check.Close(1 - th * th, grad[i], 1e-6, $"∂/∂x[{i}] in float");
            }
        }
    }

    [Fact]
    public void A_has_aux_gradient_deconstructed_inside_another_function_is_differentiated_again()
    {
        var random = new Random(305);
        for (int t = 0; t < Trials; t++)
        {
            var (x, y) = Data(random);
            double[] w = Check.Vector(random, 2);
            double b = random.NextDouble() - 0.5;
            // ‖∇L‖² with ∇L = A w + c, A = (2/N) Σ x_n x_nᵀ: its gradient is 2 Aᵀ ∇L.
            var a = new double[2, 2];
            for (int n = 0; n < y.Length; n++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) a[i, j] += 2 * x[2 * n + i] * x[2 * n + j] / y.Length;
            double[] g = Analytic(w, b, x, y).W;
            double[] analytic = { 2 * (a[0, 0] * g[0] + a[1, 0] * g[1]), 2 * (a[0, 1] * g[0] + a[1, 1] * g[1]) };

            double[] generated = Aux.GradNormPlusCorrectGrad(w, b, x, y);
            Check.Close(analytic, generated, Check.Analytic, "∇‖∇L‖² vs analytic");
            Check.Close(Check.Gradient(v => { var (gv, _) = Aux.LossGrad(v, b, x, y); return gv[0] * gv[0] + gv[1] * gv[1]; }, w),
                generated, Check.FiniteDifference, "∇‖∇L‖² vs finite difference");
        }
    }
}
