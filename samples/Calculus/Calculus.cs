using System;
using Dsl;

namespace Calculus;

/// <summary>
/// The functions of the seed article's autodiff section, written once as plain C#; every derived
/// function below is a bodiless <c>static partial</c> method the generator implements at build time.
/// </summary>
public static partial class Calculus
{
    /// <summary>f(x) = x² + 2x + 1, the article's first example.</summary>
    [Differentiable] public static double F(double x) => x * x + 2 * x + 1;

    /// <summary><c>jax.grad(f)</c>: f'(x) = 2x + 2.</summary>
    [Grad(nameof(F))] public static partial double DF(double x);

    /// <summary><c>jax.grad(jax.grad(f))</c>: f''(x) = 2.</summary>
    [Grad(nameof(DF))] public static partial double D2F(double x);

    /// <summary>A vector field R² → R²: (x²y, 5x + sin y).</summary>
    [Differentiable]
    public static double[] Field(double[] p)
    {
        var r = new double[2];
        r[0] = p[0] * p[0] * p[1];
        r[1] = 5 * p[0] + Math.Sin(p[1]);
        return r;
    }

    /// <summary><c>jax.jacobian(field)</c>: [[2xy, x²], [5, cos y]].</summary>
    [Jacobian(nameof(Field))] public static partial double[,] FieldJacobian(double[] p);

    /// <summary>Rosenbrock's function (1 − x)² + 100(y − x²)², minimal at (1, 1).</summary>
    [Differentiable]
    public static double Rosenbrock(double[] p) => (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);

    /// <summary><c>jax.hessian(rosenbrock)</c>: [[2 − 400(y − 3x²), −400x], [−400x, 200]].</summary>
    [Hessian(nameof(Rosenbrock))] public static partial double[,] RosenbrockHessian(double[] p);

    /// <summary>
    /// Mean squared error of the linear model w·x + b over examples stored row after row in
    /// <paramref name="x"/> (one row of <c>w.Length</c> features per label in <paramref name="y"/>).
    /// </summary>
    [Differentiable]
    public static double Mse(double[] w, double b, double[] x, double[] y)
    {
        double sum = 0;
        for (int n = 0; n < y.Length; n++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++)
                z += w[j] * x[n * w.Length + j];
            double e = z - y[n];
            sum += e * e;
        }
        return sum / y.Length;
    }

    /// <summary><c>jax.value_and_grad(mse, argnums=(0, 1))</c>: the loss and its gradients wrt w and b.</summary>
    [ValueAndGrad(nameof(Mse), WithRespectTo = "w, b")]
    public static partial (double Value, double[] W, double B) MseAndGrad(double[] w, double b, double[] x, double[] y);

    /// <summary>The inner (task) loss of the meta-learning example: the MSE of a model without bias.</summary>
    [Differentiable]
    public static double Loss(double[] w, double[] x, double[] y) => Mse(w, 0, x, y);

    /// <summary><c>jax.grad(loss)</c>: the inner gradient.</summary>
    [Grad(nameof(Loss), WithRespectTo = "w")]
    public static partial double[] LossGrad(double[] w, double[] x, double[] y);

    /// <summary>
    /// MAML's outer loss: the loss on the query set of the weights adapted by one inner gradient step
    /// on the support set, so its gradient differentiates through <see cref="LossGrad"/>.
    /// </summary>
    [Differentiable]
    public static double MetaLoss(double[] w, double[] xSupport, double[] ySupport, double[] xQuery, double[] yQuery, double lr)
    {
        var g = LossGrad(w, xSupport, ySupport);
        var adapted = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
            adapted[i] = w[i] - lr * g[i];
        return Loss(adapted, xQuery, yQuery);
    }

    /// <summary><c>jax.grad(meta_loss)</c>: a gradient of a gradient.</summary>
    [Grad(nameof(MetaLoss))]
    public static partial double[] MetaGrad(double[] w, double[] xSupport, double[] ySupport, double[] xQuery, double[] yQuery, double lr);

    /// <summary>The squared error of one example, (w·x − y)².</summary>
    [Differentiable]
    public static double ExampleLoss(double[] w, double[] x, double y)
    {
        double z = 0;
        for (int i = 0; i < w.Length; i++)
            z += w[i] * x[i];
        return (z - y) * (z - y);
    }

    /// <summary><c>jax.grad(single_example_loss)</c>: 2(w·x − y)x.</summary>
    [Grad(nameof(ExampleLoss))]
    public static partial double[] ExampleGrad(double[] w, double[] x, double y);

    /// <summary>
    /// <c>jax.vmap(jax.grad(single_example_loss), in_axes=(None, 0, 0))</c>: the weights are shared
    /// (declared as in the source), the inputs and labels are mapped (declared one level deeper).
    /// </summary>
    [Vmap(nameof(ExampleGrad))]
    public static partial double[][] PerExampleGrads(double[] w, double[][] xs, double[] ys);

    /// <summary>
    /// The loss of the linear model with statistics on the side: <c>has_aux</c>'s (value, aux) pair,
    /// here the mean error and the predictions, which the gradient passes through undifferentiated.
    /// </summary>
    [Differentiable]
    public static (double Loss, (double MeanError, double[] Predictions) Stats) MseWithStats(double[] w, double b, double[] x, double[] y)
    {
        double sum = 0, errors = 0;
        var predictions = new double[y.Length];
        for (int n = 0; n < y.Length; n++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++)
                z += w[j] * x[n * w.Length + j];
            predictions[n] = z;
            double e = z - y[n];
            sum += e * e;
            errors += e;
        }
        return (sum / y.Length, (errors / y.Length, predictions));
    }

    /// <summary><c>jax.value_and_grad(mse_with_stats, has_aux=True)</c>: ((loss, aux), ∂/∂w).</summary>
    [ValueAndGrad(nameof(MseWithStats), HasAux = true)]
    public static partial ((double Loss, (double MeanError, double[] Predictions) Stats) Value, double[] Grad) MseAndGradWithStats(double[] w, double b, double[] x, double[] y);

    /// <summary>log(1 + eˣ), written so it does not overflow.</summary>
    [Differentiable]
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>
    /// <c>@jax.custom_jvp</c> for softplus: its tangent σ(x)·dx, in a form that cannot overflow.
    /// Linear in dx, so reverse mode transposes it: one rule serves grad, jvp and hessian.
    /// </summary>
    [CustomJvp(nameof(Softplus))]
    public static double SoftplusJvp(double x, double result, double dx)
    {
        if (x > 0)
            return dx / (1 + Math.Exp(-x));
        return dx * Math.Exp(x) / (1 + Math.Exp(x));
    }

    /// <summary><c>jax.grad(softplus)</c>: σ(x), through the rule.</summary>
    [Grad(nameof(Softplus))] public static partial double SoftplusGrad(double x);

    /// <summary><c>jax.grad(jax.grad(softplus))</c>: σ(x)(1 − σ(x)), the rule differentiated in turn.</summary>
    [Grad(nameof(SoftplusGrad))] public static partial double SoftplusCurvature(double x);

    /// <summary>‖p‖, whose derivative p/‖p‖ is undefined at 0.</summary>
    [Differentiable]
    public static double Norm(double[] p)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += p[i] * p[i];
        return Math.Sqrt(s);
    }

    /// <summary><c>@jax.custom_vjp</c> for the norm: p/‖p‖, and 0 at p = 0 instead of NaN.</summary>
    [CustomVjp(nameof(Norm))]
    public static double[] NormVjp(double[] p, double result, double cotangent)
    {
        var g = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
            g[i] = result > 0 ? cotangent * p[i] / result : 0;
        return g;
    }

    /// <summary><c>jax.grad(norm)</c>: finite everywhere.</summary>
    [Grad(nameof(Norm))] public static partial double[] NormGrad(double[] p);
}
