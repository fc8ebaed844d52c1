using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>JAX's has_aux: functions that return (value, aux), and the gradients that pass the aux through.</summary>
public static partial class Aux
{
    /// <summary>
    /// The mean squared error of a linear model over rows of two features, with statistics on the
    /// side: how many predictions fall on the right side of 0.5, and the predictions themselves.
    /// </summary>
    [Differentiable]
    public static (double Loss, (double Correct, double[] Predictions) Stats) LossWithStats(double[] w, double b, double[] x, double[] y)
    {
        double loss = 0, correct = 0;
        var predictions = new double[y.Length];
        for (int n = 0; n < y.Length; n++)
        {
            double z = w[0] * x[2 * n] + w[1] * x[2 * n + 1] + b;
            predictions[n] = z;
            double e = z - y[n];
            loss += e * e;
            if ((z > 0.5) == (y[n] > 0.5))
                correct += 1;
        }
        return (loss / y.Length, (correct, predictions));
    }

    /// <summary><c>jax.grad(loss_with_stats, has_aux=True)</c>: (∂/∂w, aux).</summary>
    [Grad(nameof(LossWithStats), HasAux = true)]
    public static partial (double[] Grad, (double Correct, double[] Predictions) Stats) LossGrad(double[] w, double b, double[] x, double[] y);

    /// <summary><c>jax.value_and_grad(loss_with_stats, argnums=(0, 1), has_aux=True)</c>: ((loss, aux), ∂/∂w, ∂/∂b).</summary>
    [ValueAndGrad(nameof(LossWithStats), WithRespectTo = "w, b", HasAux = true)]
    public static partial ((double Loss, (double Correct, double[] Predictions) Stats) Value, double[] W, double B) LossAndGrad(double[] w, double b, double[] x, double[] y);

    /// <summary>
    /// (p², p) with p = Π(1 + x_i): the aux is a loop-carried value that reverse mode tapes and
    /// restores while it runs back, so it must be returned as the loop left it.
    /// </summary>
    [Differentiable]
    public static (double Square, double Product) ProductSquared(double[] x)
    {
        double p = 1;
        for (int i = 0; i < x.Length; i++)
            p *= 1 + x[i];
        return (p * p, p);
    }

    /// <summary>(2p ∂p/∂x, p).</summary>
    [Grad(nameof(ProductSquared), HasAux = true)]
    public static partial (double[] Grad, double Product) ProductSquaredGrad(double[] x);

    /// <summary>A branchy scalar with an int in the aux: (|x| x, whether x was negative, x²).</summary>
    [Differentiable]
    public static (double Value, (int Negative, double Square) Aux) SignedSquare(double x)
    {
        if (x < 0)
            return (-x * x, (1, x * x));
        return (x * x, (0, x * x));
    }

    /// <summary>(2|x|, aux).</summary>
    [Grad(nameof(SignedSquare), HasAux = true)]
    public static partial (double Grad, (int Negative, double Square) Aux) SignedSquareGrad(double x);

    /// <summary>((value, aux), gradient) of the same.</summary>
    [ValueAndGrad(nameof(SignedSquare), HasAux = true)]
    public static partial ((double Value, (int Negative, double Square) Aux) Value, double Grad) SignedSquareValueAndGrad(double x);

    /// <summary>Σ tanh(x_i) in float, with the largest |tanh| as aux.</summary>
    [Differentiable]
    public static (float Sum, float Largest) TanhSum(float[] x)
    {
        float s = 0, largest = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float t = MathF.Tanh(x[i]);
            s += t;
            largest = MathF.Max(largest, MathF.Abs(t));
        }
        return (s, largest);
    }

    /// <summary>(1 − tanh² x, largest).</summary>
    [Grad(nameof(TanhSum), HasAux = true)]
    public static partial (float[] Grad, float Largest) TanhSumGrad(float[] x);

    /// <summary>
    /// A has_aux gradient used inside another function, deconstructed: the squared norm of the
    /// loss gradient plus the number right, differentiated again with respect to w.
    /// </summary>
    [Differentiable]
    public static double GradNormPlusCorrect(double[] w, double b, double[] x, double[] y)
    {
        var (g, (correct, _)) = LossGrad(w, b, x, y);
        return g[0] * g[0] + g[1] * g[1] + correct;
    }

    /// <summary>∂/∂w of ‖∇_w L‖² (the count is piecewise constant).</summary>
    [Grad(nameof(GradNormPlusCorrect))]
    public static partial double[] GradNormPlusCorrectGrad(double[] w, double b, double[] x, double[] y);
}
