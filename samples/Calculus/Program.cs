// The seed article's autodiff examples (PyTorch autograd against JAX's composable transforms), each
// printed next to the JAX call it stands for. The functions and their derived methods are in Calculus.cs.

using System;
using System.Linq;
using static Calculus.Calculus;

// f = lambda x: x ** 2 + 2 * x + 1; f'(3) = 2*3 + 2 = 8, f''(3) = 2.
Console.WriteLine($"jax.grad(f)(3.0)                  = {DF(3.0)}");
Console.WriteLine($"jax.grad(jax.grad(f))(3.0)        = {D2F(3.0)}");

// field(x, y) = (x²y, 5x + sin y): J(1, 2) = [[2xy, x²], [5, cos y]] = [[4, 1], [5, cos 2]].
// Rosenbrock: H(1, 1) = [[2 - 400(y - 3x²), -400x], [-400x, 200]] = [[802, -400], [-400, 200]].
Console.WriteLine($"jax.jacobian(field)([1, 2])       = {Show(FieldJacobian([1, 2]))}");
Console.WriteLine($"jax.hessian(rosenbrock)([1, 1])   = {Show(RosenbrockHessian([1, 1]))}");

// A linear model on three examples of two features (row after row). At w = (0.5, 0.5), b = 0 the
// errors are (-2, -2, -3): loss 17/3, dw = (2/3)·Σ e·x = (-10/3, -10/3), db = (2/3)·Σ e = -14/3.
double[] x = [1, 0, 0, 1, 1, 1], y = [2.5, 2.5, 4];
var (loss, gw, gb) = MseAndGrad([0.5, 0.5], 0, x, y);
Console.WriteLine($"jax.value_and_grad(mse, (0, 1))   = ({Show(loss)}, {Show(gw)}, {Show(gb)})");

// Meta-learning: the outer gradient differentiates through one inner gradient step (lr 0.1):
// (I - lr·H)·2e·x_query with H = (2/3)[[2, 1], [1, 2]], e = -2.5, x_query = (2, 1): (-25/3, -11/3).
double[] xQuery = [2, 1], yQuery = [5];
Console.WriteLine($"jax.grad(loss)(w)                 = {Show(LossGrad([0.5, 0.5], x, y))}");
Console.WriteLine($"jax.grad(meta_loss)(w)            = {Show(MetaGrad([0.5, 0.5], x, y, xQuery, yQuery, 0.1))}");

// Per-example gradients (as DP-SGD needs) of the same three examples: 2e·x for each, weights shared.
double[][] rows = [[1, 0], [0, 1], [1, 1]];
Console.WriteLine($"jax.vmap(jax.grad(example_loss), in_axes=(None, 0, 0))(w, xs, ys) = {Show(PerExampleGrads([0.5, 0.5], rows, y))}");

// has_aux: the same loss with (mean error, predictions) on the side, returned as JAX nests it.
// At b = 0 the predictions are (0.5, 0.5, 1) and the mean error is -7/3.
var ((mse, (meanError, predictions)), gradW) = MseAndGradWithStats([0.5, 0.5], 0, x, y);
Console.WriteLine($"jax.value_and_grad(mse_with_stats, has_aux=True) = (({Show(mse)}, ({Show(meanError)}, {Show(predictions)})), {Show(gradW)})");

// custom_jvp: softplus's derivative σ(x) and σ(x)(1 - σ(x)) from the rule, finite at ±1000 where
// the naive log(1 + exp(x)) overflows; custom_vjp: the norm's gradient is 0 at 0, not NaN.
Console.WriteLine($"jax.grad(softplus)([-1000, 0, 1000]) = {Show(new[] { SoftplusGrad(-1000), SoftplusGrad(0), SoftplusGrad(1000) })}");
Console.WriteLine($"jax.grad(jax.grad(softplus))(0)   = {Show(SoftplusCurvature(0))}");
Console.WriteLine($"jax.grad(norm)([3, 4]), ([0, 0])  = {Show(NormGrad([3, 4]))}, {Show(NormGrad([0, 0]))}");

static string Show(object value) => value switch
{
    double d => Math.Round(d, 6).ToString(),
    double[] v => "[" + string.Join(", ", v.Select(d => Show(d))) + "]",
    double[][] m => "[" + string.Join(", ", m.Select(Show)) + "]",
    double[,] m => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(0))
        .Select(i => Show(Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()))) + "]",
    _ => value.ToString() ?? "",
};
