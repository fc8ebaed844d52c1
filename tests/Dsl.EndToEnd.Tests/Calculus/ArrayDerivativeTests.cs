using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Generated derivatives of array functions, held to hand-derived derivatives and to central differences.</summary>
public class ArrayDerivativeTests
{
    private const int Trials = 6;

    private static double[] Times(double[,] m, double[] v)
    {
        var r = new double[m.GetLength(0)];
        for (int i = 0; i < r.Length; i++)
            for (int j = 0; j < v.Length; j++) r[i] += m[i, j] * v[j];
        return r;
    }

    private static double[] TransposeTimes(double[,] m, double[] u)
    {
        var r = new double[m.GetLength(1)];
        for (int j = 0; j < r.Length; j++)
            for (int i = 0; i < u.Length; i++) r[j] += m[i, j] * u[i];
        return r;
    }

    private static double[] Scaled(double[] v, double a)
    {
        var r = new double[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = a * v[i];
        return r;
    }

    /// <summary>Checks a generated gradient against the analytic one and central differences.</summary>
    private static void Agrees(Func<double[], double> f, double[] generated, double[] analytic, double[] x, string name)
    {
        Check.Close(analytic, generated, Check.Analytic, $"∇{name} vs analytic");
        Check.Close(Check.Gradient(f, x), generated, Check.FiniteDifference, $"∇{name} vs finite difference");
    }

    // ---- Loops ----

    [Fact]
    public void Dot_product_in_either_argument()
    {
        var random = new Random(100);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 5), x = Check.Vector(random, 5);
            Agrees(v => Arrays.Dot(v, x), Arrays.DotGradW(w, x), x, w, "Dot w");
            Agrees(v => Arrays.Dot(w, v), Arrays.DotGradX(w, x), w, x, "Dot x");
        }
    }

    [Fact]
    public void Sum_of_squares()
    {
        var random = new Random(101);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 6, -2, 2);
            Agrees(Arrays.SumOfSquares, Arrays.SumOfSquaresGrad(x), Scaled(x, 2), x, "SumOfSquares");
        }
    }

    [Fact]
    public void Product_of_elements_needs_the_overwritten_running_product()
    {
        var random = new Random(102);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, 0.5, 2);
            if (t % 2 == 1) x[t % 5] = -x[t % 5];
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                expected[i] = 1;
                for (int j = 0; j < x.Length; j++) if (j != i) expected[i] *= x[j];
            }
            Agrees(Arrays.Product, Arrays.ProductGrad(x), expected, x, "Product");
        }
    }

    [Fact]
    public void Product_with_a_zero_element()
    {
        // The gradient of a product at a zero is the product of the others, not 0/0.
        double[] x = [2, 0, 3, 0.5];
        Check.Close(new double[] { 0, 3, 0, 0 }, Arrays.ProductGrad(x), Check.Analytic, "∇Product at a zero");
    }

    [Fact]
    public void Horner_polynomial_in_coefficients_and_point()
    {
        var random = new Random(103);
        for (int t = 0; t < Trials; t++)
        {
            double[] c = Check.Vector(random, 5, -2, 2);
            double x = Check.Vector(random, 1, -1.5, 1.5)[0];
            int k = c.Length;
            var dc = new double[k];
            double dx = 0;
            for (int i = 0; i < k; i++)
            {
                dc[i] = Math.Pow(x, k - 1 - i);
                if (i < k - 1) dx += (k - 1 - i) * c[i] * Math.Pow(x, k - 2 - i);
            }
            var (gc, gx) = Arrays.HornerGrad(c, x);
            Agrees(v => Arrays.Horner(v, x), gc, dc, c, "Horner c");
            Check.Close(dx, gx, Check.Analytic, $"∂Horner/∂x at {x}");
            Check.Close(Check.Derivative(v => Arrays.Horner(c, v), x), gx, Check.FiniteDifference, $"∂Horner/∂x at {x} vs finite difference");
        }
    }

    [Fact]
    public void Nested_loops_matrix_vector_product()
    {
        var random = new Random(104);
        const int m = 3, n = 4;
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, m * n), x = Check.Vector(random, n, -2, 2);
            var dw = new double[m * n];
            var dx = new double[n];
            for (int i = 0; i < m; i++)
            {
                double y = 0;
                for (int j = 0; j < n; j++) y += w[i * n + j] * x[j];
                double s = 1 - Math.Tanh(y) * Math.Tanh(y);
                for (int j = 0; j < n; j++)
                {
                    dw[i * n + j] = s * x[j];
                    dx[j] += s * w[i * n + j];
                }
            }
            var (gw, gx) = Arrays.MatVecTanhGrad(w, x);
            Agrees(v => Arrays.MatVecTanh(v, x), gw, dw, w, "MatVecTanh w");
            Agrees(v => Arrays.MatVecTanh(w, v), gx, dx, x, "MatVecTanh x");

            var weights = new double[m, n];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) weights[i, j] = w[i * n + j];
            double[,] jacobian = Arrays.MatVecJacobian(w, x);
            Check.Close(weights, jacobian, Check.Analytic, "∂(Wx)/∂x vs W");
            Check.Close(Check.Jacobian(v => Arrays.MatVec(w, v), x), jacobian, Check.FiniteDifference, "∂(Wx)/∂x vs finite difference");
        }
    }

    [Fact]
    public void Span_parameter()
    {
        var random = new Random(105);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -3, 3);
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length; i++) expected[i] = Math.Sin(x[i]) + x[i] * Math.Cos(x[i]);
            Agrees(v => Arrays.SpanSum(v), Arrays.SpanSumGrad(x), expected, x, "SpanSum");
        }
    }

    // ---- ValueAndGrad, several parameters, Vmap ----

    private static (double Value, double[] W, double B) LossAnalytic(double[] w, double b, double[] x, double y)
    {
        double z = b + Check.Dot(w, x), th = Math.Tanh(z), r = th - y, dz = r * (1 - th * th);
        return (0.5 * r * r, Scaled(x, dz), dz);
    }

    [Fact]
    public void Grad_and_ValueAndGrad_with_respect_to_w_and_to_w_and_b()
    {
        var random = new Random(106);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), x = Check.Vector(random, 4, -2, 2);
            double b = Check.Vector(random, 1)[0], y = Check.Vector(random, 1)[0];
            var (value, dw, db) = LossAnalytic(w, b, x, y);
            double[] fdW = Check.Gradient(v => Arrays.Loss(v, b, x, y), w);
            double fdB = Check.Derivative(v => Arrays.Loss(w, v, x, y), b);

            Agrees(v => Arrays.Loss(v, b, x, y), Arrays.LossGradW(w, b, x, y), dw, w, "Loss w");

            var (gw, gb) = Arrays.LossGrads(w, b, x, y);
            Check.Close(dw, gw, Check.Analytic, "LossGrads w");
            Check.Close(db, gb, Check.Analytic, "LossGrads b");
            Check.Close(fdW, gw, Check.FiniteDifference, "LossGrads w vs finite difference");
            Check.Close(fdB, gb, Check.FiniteDifference, "LossGrads b vs finite difference");

            var (v1, g1) = Arrays.LossAndGradW(w, b, x, y);
            Check.Close(value, v1, Check.Analytic, "LossAndGradW value");
            Check.Close(dw, g1, Check.Analytic, "LossAndGradW w");
            Check.Close(fdW, g1, Check.FiniteDifference, "LossAndGradW w vs finite difference");

            var (v2, g2w, g2b) = Arrays.LossAndGrads(w, b, x, y);
            Check.Close(value, v2, Check.Analytic, "LossAndGrads value");
            Check.Close(dw, g2w, Check.Analytic, "LossAndGrads w");
            Check.Close(db, g2b, Check.Analytic, "LossAndGrads b");
            Check.Close(fdW, g2w, Check.FiniteDifference, "LossAndGrads w vs finite difference");
            Check.Close(fdB, g2b, Check.FiniteDifference, "LossAndGrads b vs finite difference");
        }
    }

    [Fact]
    public void Vmap_of_a_grad_gives_per_example_gradients()
    {
        var random = new Random(107);
        double[] w = Check.Vector(random, 4);
        double b = 0.3;
        const int batch = 7;
        var xs = new double[batch][];
        var ys = new double[batch];
        for (int k = 0; k < batch; k++)
        {
            xs[k] = Check.Vector(random, 4, -2, 2);
            ys[k] = Check.Vector(random, 1)[0];
        }
        double[][] grads = Arrays.PerExampleGrads(w, b, xs, ys);
        double[] losses = Arrays.PerExampleLosses(w, b, xs, ys);
        Assert.Equal(batch, grads.Length);
        Assert.Equal(batch, losses.Length);
        for (int k = 0; k < batch; k++)
        {
            Assert.Equal(Arrays.LossGradW(w, b, xs[k], ys[k]), grads[k]);
            Assert.Equal(Arrays.Loss(w, b, xs[k], ys[k]), losses[k]);
            Check.Close(LossAnalytic(w, b, xs[k], ys[k]).W, grads[k], Check.Analytic, $"per-example gradient {k}");
        }
    }

    [Fact]
    public void Vmap_rejects_batches_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => Arrays.PerExampleGrads([1, 2], 0, [[1, 2], [3, 4]], [1]));

    // ---- Array results ----

    private static double[,] FieldAnalytic(double[] p)
    {
        double e = Math.Exp(p[0] - p[1]), d = 1 + p[0] * p[0];
        return new[,]
        {
            { p[1], p[0] },
            { Math.Cos(p[0]), 2 * p[1] },
            { e / d - e * 2 * p[0] / (d * d), -e / d },
        };
    }

    private static double[,] SoftmaxAnalytic(double[] x)
    {
        double total = 0;
        foreach (double v in x) total += Math.Exp(v);
        var s = new double[x.Length];
        for (int i = 0; i < x.Length; i++) s[i] = Math.Exp(x[i]) / total;
        var j = new double[x.Length, x.Length];
        for (int a = 0; a < x.Length; a++)
            for (int b = 0; b < x.Length; b++) j[a, b] = s[a] * ((a == b ? 1 : 0) - s[b]);
        return j;
    }

    private static double[,] CumulativeProductAnalytic(double[] x)
    {
        var j = new double[x.Length, x.Length];
        for (int a = 0; a < x.Length; a++)
            for (int b = 0; b <= a; b++)
            {
                double p = 1;
                for (int k = 0; k <= a; k++) if (k != b) p *= x[k];
                j[a, b] = p;
            }
        return j;
    }

    /// <summary>Jvp is J v and Vjp is Jᵀ u, for the analytic J and the finite-difference one.</summary>
    private static void JvpAndVjp(Func<double[], double[]> f, Func<double[], double[], (double[], double[])> jvp,
        Func<double[], double[], (double[], double[])> vjp, Func<double[], double[,]> analytic, int inputs, int outputs, int seed, string name)
    {
        var random = new Random(seed);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, inputs), v = Check.Vector(random, inputs), u = Check.Vector(random, outputs);
            double[,] exact = analytic(x), numeric = Check.Jacobian(f, x);
            var (value, tangent) = jvp(x, v);
            Check.Close(f(x), value, Check.Analytic, $"{name} Jvp value");
            Check.Close(Times(exact, v), tangent, Check.Analytic, $"{name} Jvp vs analytic J v");
            Check.Close(Times(numeric, v), tangent, Check.FiniteDifference, $"{name} Jvp vs finite-difference J v");
            var (value2, cotangent) = vjp(x, u);
            Check.Close(f(x), value2, Check.Analytic, $"{name} Vjp value");
            Check.Close(TransposeTimes(exact, u), cotangent, Check.Analytic, $"{name} Vjp vs analytic Jᵀ u");
            Check.Close(TransposeTimes(numeric, u), cotangent, Check.FiniteDifference, $"{name} Vjp vs finite-difference Jᵀ u");
        }
    }

    [Fact]
    public void Jvp_and_Vjp_of_a_field() =>
        JvpAndVjp(Arrays.Field, (p, v) => Arrays.FieldJvp(p, v), (p, u) => Arrays.FieldVjp(p, u), FieldAnalytic, 2, 3, 110, "Field");

    [Fact]
    public void Jvp_and_Vjp_of_softmax() =>
        JvpAndVjp(Arrays.Softmax, (x, v) => Arrays.SoftmaxJvp(x, v), (x, u) => Arrays.SoftmaxVjp(x, u), SoftmaxAnalytic, 5, 5, 111, "Softmax");

    /// <summary>The three Jacobians agree with each other, with the analytic one and with finite differences.</summary>
    private static void Jacobians(Func<double[], double[]> f, Func<double[], double[,]>[] generated, Func<double[], double[,]> analytic,
        int inputs, double lo, double hi, int seed, string name)
    {
        var random = new Random(seed);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, inputs, lo, hi);
            double[,] exact = analytic(x), numeric = Check.Jacobian(f, x);
            double[,] first = generated[0](x);
            for (int g = 0; g < generated.Length; g++)
            {
                double[,] jacobian = generated[g](x);
                Check.Close(first, jacobian, 1e-12, $"{name} Jacobian {g} vs Jacobian 0");
                Check.Close(exact, jacobian, Check.Analytic, $"{name} Jacobian {g} vs analytic");
                Check.Close(numeric, jacobian, Check.FiniteDifference, $"{name} Jacobian {g} vs finite difference");
            }
        }
    }

    [Fact]
    public void Jacobian_JacRev_JacFwd_of_a_field_with_more_outputs_than_inputs() =>
        Jacobians(Arrays.Field, [Arrays.FieldJacobian, Arrays.FieldJacRev, Arrays.FieldJacFwd], FieldAnalytic, 2, -1.5, 1.5, 112, "Field");

    [Fact]
    public void Jacobian_JacRev_JacFwd_of_softmax() =>
        Jacobians(Arrays.Softmax, [Arrays.SoftmaxJacobian, Arrays.SoftmaxJacRev, Arrays.SoftmaxJacFwd], SoftmaxAnalytic, 5, -2, 2, 113, "Softmax");

    [Fact]
    public void JacRev_JacFwd_of_a_cumulative_product() =>
        Jacobians(Arrays.CumulativeProduct, [Arrays.CumulativeProductJacRev, Arrays.CumulativeProductJacFwd], CumulativeProductAnalytic, 5, 0.5, 1.5, 114, "CumulativeProduct");

    // ---- More loops and array results ----

    [Fact]
    public void JacRev_JacFwd_of_outputs_accumulated_with_plus_and_minus_assign() =>
        Jacobians(Arrays.Moments, [Arrays.MomentsJacRev, Arrays.MomentsJacFwd], x =>
        {
            var j = new double[2, x.Length];
            for (int i = 0; i < x.Length; i++) { j[0, i] = 2 * x[i]; j[1, i] = -Math.Cos(x[i]); }
            return j;
        }, 5, -2, 2, 115, "Moments");

    private static double[,] RecurrenceAnalytic(double[] x)
    {
        int n = x.Length;
        var r = new double[n];
        var j = new double[n, n];
        r[0] = x[0];
        j[0, 0] = 1;
        for (int i = 1; i < n; i++)
        {
            r[i] = r[i - 1] * Math.Cos(x[i]) + x[i];
            for (int k = 0; k < i; k++) j[i, k] = j[i - 1, k] * Math.Cos(x[i]);
            j[i, i] = 1 - r[i - 1] * Math.Sin(x[i]);
        }
        return j;
    }

    [Fact]
    public void JacFwd_and_Jvp_of_a_recurrence_that_reads_its_own_outputs()
    {
        Jacobians(Arrays.Recurrence, [Arrays.RecurrenceJacFwd], RecurrenceAnalytic, 5, -1.5, 1.5, 116, "Recurrence");
        var random = new Random(117);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -1.5, 1.5), v = Check.Vector(random, 5);
            var (value, tangent) = Arrays.RecurrenceJvp(x, v);
            Check.Close(Arrays.Recurrence(x), value, Check.Analytic, "Recurrence Jvp value");
            Check.Close(Times(RecurrenceAnalytic(x), v), tangent, Check.Analytic, "Recurrence Jvp vs analytic J v");
        }
    }

    [Fact]
    public void Branch_in_a_loop_body_gradient_and_Hessian()
    {
        var random = new Random(118);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 6, -2, 2);
            var g = new double[x.Length];
            var h = new double[x.Length, x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                g[i] = x[i] > 0 ? 2 * x[i] : 0.1;
                h[i, i] = x[i] > 0 ? 2 : 0;
            }
            Agrees(Arrays.LeakySquares, Arrays.LeakySquaresGrad(x), g, x, "LeakySquares");
            Check.Close(h, Arrays.LeakySquaresHessian(x), Check.Analytic, "LeakySquares Hessian");
            Check.Close(Check.Jacobian(Arrays.LeakySquaresGrad, x), Arrays.LeakySquaresHessian(x), Check.FiniteDifference, "LeakySquares Hessian vs finite difference");
        }
    }

    [Fact]
    public void Max_Min_and_ternary_in_a_loop()
    {
        // Points kept off the kinks at 0, 0.5 and 1.
        double[][] points = [[-0.7, 0.2, 0.9, 1.4], [-1.8, 0.35, 0.7, 2.2], [-0.2, 0.1, 0.8, 1.1], [-1.1, 0.45, 0.6, 3.0], [-0.4, 0.3, 0.95, 1.6]];
        foreach (double[] x in points)
        {
            var g = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
                g[i] = (x[i] < 1 ? -1 : 0) + (x[i] > 0.5 ? 2 * x[i] : x[i] < 0 ? 1 : -0.5);
            Agrees(Arrays.Hinge, Arrays.HingeGrad(x), g, x, "Hinge");
        }
    }

    [Fact]
    public void Calls_returning_arrays_held_in_a_local_or_indexed_directly()
    {
        var random = new Random(119);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -2, 2);
            int k = t % x.Length;
            double total = 0;
            foreach (double v in x) total += Math.Exp(v);
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length; i++) expected[i] = Math.Exp(x[i]) / total - (i == k ? 1 : 0);
            Agrees(v => Arrays.NegativeLogLikelihood(v, k), Arrays.NegativeLogLikelihoodGrad(x, k), expected, x, "NegativeLogLikelihood");
            Agrees(v => Arrays.NegativeLogLikelihoodInline(v, k), Arrays.NegativeLogLikelihoodInlineGrad(x, k), expected, x, "NegativeLogLikelihoodInline");
        }
    }

    [Fact]
    public void Local_array_and_a_parameter_passed_twice_to_a_call()
    {
        var random = new Random(122);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -3, 3);
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length; i++) expected[i] = x[i] * Math.Cos(x[i]) + Math.Sin(x[i]) + 2 * x[i];
            Agrees(Arrays.SinDot, Arrays.SinDotGrad(x), expected, x, "SinDot");
        }
    }

    [Fact]
    public void Hessian_of_a_function_that_calls_a_gradient()
    {
        var random = new Random(123);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 4, -1.5, 1.5);
            var expected = new double[x.Length, x.Length];
            var gradient = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                expected[i, i] = 108 * x[i] * x[i];
                gradient[i] = 36 * x[i] * x[i] * x[i];
            }
            double[,] h = Arrays.GradNormHessian(x);
            Check.Close(expected, h, Check.Analytic, "GradNorm Hessian");
            Check.Close(Check.Jacobian(v => Array.ConvertAll(v, e => 36 * e * e * e), x), h, Check.FiniteDifference, "GradNorm Hessian vs finite difference");
            Check.Close(gradient, Check.Gradient(Arrays.GradNorm, x), Check.FiniteDifference, "GradNorm value is Σ 9x⁴");
        }
    }

    [Fact]
    public void Jvp_and_Vjp_with_an_array_and_a_scalar_differentiated()
    {
        var random = new Random(124);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), x = Check.Vector(random, 4, -2, 2), dw = Check.Vector(random, 4);
            double b = Check.Vector(random, 1)[0], y = Check.Vector(random, 1)[0], db = Check.Vector(random, 1)[0], ct = Check.Vector(random, 1, -2, 2)[0];
            var (value, gw, gb) = LossAnalytic(w, b, x, y);
            var (jv, jt) = Arrays.LossJvp(w, b, x, y, dw, db);
            Check.Close(value, jv, Check.Analytic, "LossJvp value");
            Check.Close(Check.Dot(gw, dw) + gb * db, jt, Check.Analytic, "LossJvp tangent");
            var (vv, vw, vb) = Arrays.LossVjp(w, b, x, y, ct);
            Check.Close(value, vv, Check.Analytic, "LossVjp value");
            Check.Close(Scaled(gw, ct), vw, Check.Analytic, "LossVjp w");
            Check.Close(gb * ct, vb, Check.Analytic, "LossVjp b");
            // The directional derivative by central differences along (dw, db).
            double h = 1e-5;
            var plus = new double[w.Length];
            var minus = new double[w.Length];
            for (int i = 0; i < w.Length; i++) { plus[i] = w[i] + h * dw[i]; minus[i] = w[i] - h * dw[i]; }
            double fd = (Arrays.Loss(plus, b + h * db, x, y) - Arrays.Loss(minus, b - h * db, x, y)) / (2 * h);
            Check.Close(fd, jt, Check.FiniteDifference, "LossJvp tangent vs finite difference");
        }
    }

    [Fact]
    public void Vmap_of_a_ValueAndGrad_batches_both_parts()
    {
        var random = new Random(125);
        double[] w = Check.Vector(random, 3);
        const int batch = 6;
        var xs = new double[batch][];
        var ys = new double[batch];
        for (int k = 0; k < batch; k++) { xs[k] = Check.Vector(random, 3, -2, 2); ys[k] = Check.Vector(random, 1)[0]; }
        var (values, grads) = Arrays.PerExampleLossAndGrad(w, -0.2, xs, ys);
        for (int k = 0; k < batch; k++)
        {
            var (v, g) = Arrays.LossAndGradW(w, -0.2, xs[k], ys[k]);
            Assert.Equal(v, values[k]);
            Assert.Equal(g, grads[k]);
        }
    }

    [Fact]
    public void Derived_functions_leave_their_arguments_unchanged()
    {
        double[] p = [0.4, -0.3], v = [1, 2], u = [1, -1, 0.5];
        double[] x = [0.2, -0.5, 1.1, 0.3], xv = [0.5, 0.5, -1, 2], xu = [1, 0, -2, 0.5];
        Arrays.FieldJvp(p, v);
        Arrays.FieldVjp(p, u);
        Arrays.SoftmaxJvp(x, xv);
        Arrays.SoftmaxVjp(x, xu);
        Arrays.RosenbrockHvp(x, xv);
        Arrays.ProductGrad(x);
        Assert.Equal([0.4, -0.3], p);
        Assert.Equal([1, 2], v);
        Assert.Equal([1, -1, 0.5], u);
        Assert.Equal([0.2, -0.5, 1.1, 0.3], x);
        Assert.Equal([0.5, 0.5, -1, 2], xv);
        Assert.Equal([1, 0, -2, 0.5], xu);
    }

    // ---- float arrays ----

    [Fact]
    public void Float_gradient_and_Jacobian()
    {
        // References in double; float rounding allows about 1e-6 relative, so the bound is 1e-4.
        var random = new Random(126);
        for (int t = 0; t < Trials; t++)
        {
            float[] x = Array.ConvertAll(Check.Vector(random, 5, -2, 2), v => (float)v);
            float[] g = Arrays.TanhSumFGrad(x);
            for (int i = 0; i < x.Length; i++)
            {
                double th = Math.Tanh(x[i]);
                Check.Close(th + x[i] * (1 - th * th), g[i], 1e-4, $"TanhSumF grad[{i}]");
            }
            float[] p = [(float)(1 + random.NextDouble()), (float)(3 * random.NextDouble())];
            float[,] j = Arrays.PolarFJacobian(p);
            double[,] expected = { { Math.Cos(p[1]), -p[0] * Math.Sin(p[1]) }, { Math.Sin(p[1]), p[0] * Math.Cos(p[1]) } };
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    Check.Close(expected[a, b], j[a, b], 1e-4, $"PolarF Jacobian[{a},{b}]");
        }
    }

    // ---- Hessians ----

    private static double[] RosenbrockGradAnalytic(double[] x)
    {
        int n = x.Length;
        var g = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (i < n - 1) g[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            if (i > 0) g[i] += 200 * (x[i] - x[i - 1] * x[i - 1]);
        }
        return g;
    }

    private static double[,] RosenbrockHessianAnalytic(double[] x)
    {
        int n = x.Length;
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            if (i < n - 1)
            {
                h[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
                h[i, i + 1] = h[i + 1, i] = -400 * x[i];
            }
            if (i > 0) h[i, i] += 200;
        }
        return h;
    }

    [Fact]
    public void Rosenbrock_gradient_Hessian_and_Hessian_vector_product()
    {
        var random = new Random(120);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 5, -1.5, 1.5), v = Check.Vector(random, 5);
            Agrees(Arrays.Rosenbrock, Arrays.RosenbrockGrad(x), RosenbrockGradAnalytic(x), x, "Rosenbrock");

            double[,] h = Arrays.RosenbrockHessian(x);
            Check.Close(RosenbrockHessianAnalytic(x), h, Check.Analytic, "Rosenbrock Hessian vs analytic");
            Check.Close(Check.Jacobian(RosenbrockGradAnalytic, x), h, Check.FiniteDifference, "Rosenbrock Hessian vs finite difference of the analytic gradient");
            Check.Close(Check.Jacobian(Arrays.RosenbrockGrad, x), h, Check.FiniteDifference, "Rosenbrock Hessian vs finite difference of the generated gradient");
            for (int i = 0; i < x.Length; i++)
                for (int j = 0; j < i; j++)
                    Check.Close(h[i, j], h[j, i], 1e-12, $"Rosenbrock Hessian symmetry [{i},{j}]");

            var (gradient, hv) = Arrays.RosenbrockHvp(x, v);
            Check.Close(RosenbrockGradAnalytic(x), gradient, Check.Analytic, "Hvp value");
            Check.Close(Times(RosenbrockHessianAnalytic(x), v), hv, Check.Analytic, "Hvp vs analytic H v");
        }
    }

    [Fact]
    public void LogSumExp_Hessian_is_dense_and_symmetric()
    {
        var random = new Random(121);
        for (int t = 0; t < Trials; t++)
        {
            double[] x = Check.Vector(random, 4, -2, 2);
            double[,] h = Arrays.LogSumExpHessian(x);
            // ∇ log Σ exp = softmax, so the Hessian is the softmax Jacobian.
            Check.Close(SoftmaxAnalytic(x), h, Check.Analytic, "LogSumExp Hessian vs analytic");
            Check.Close(Check.Jacobian(Arrays.Softmax, x), h, Check.FiniteDifference, "LogSumExp Hessian vs finite difference");
            for (int i = 0; i < x.Length; i++)
                for (int j = 0; j < i; j++)
                    Check.Close(h[i, j], h[j, i], 1e-12, $"LogSumExp Hessian symmetry [{i},{j}]");
        }
    }

    // ---- A gradient through a gradient ----

    [Fact]
    public void Meta_learning_gradient_through_an_inner_gradient_step()
    {
        var random = new Random(130);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), x = Check.Vector(random, 4, -2, 2);
            double y = t % 2 == 0 ? 1 : -1;
            double z = Check.Dot(w, x);
            Check.Close(Scaled(x, -y / (1 + Math.Exp(y * z))), Arrays.LogisticGrad(w, x, y), Check.Analytic, "inner gradient vs analytic");
            Check.Close(Check.Gradient(v => Arrays.MetaLoss(v, x, y), w), Arrays.MetaLossGrad(w, x, y), Check.FiniteDifference, "meta gradient vs finite difference");
        }
    }

    [Fact]
    public void Meta_learning_gradient_of_a_quadratic_matches_its_closed_form()
    {
        var random = new Random(131);
        for (int t = 0; t < Trials; t++)
        {
            double[] w = Check.Vector(random, 4), x = Check.Vector(random, 4, -2, 2);
            double y = Check.Vector(random, 1)[0];
            double r = Check.Dot(w, x) - y, q = 1 - 0.1 * Check.Dot(x, x);
            Check.Close(0.5 * r * q * r * q, Arrays.QuadraticMetaLoss(w, x, y), Check.Analytic, "meta loss");
            Agrees(v => Arrays.QuadraticMetaLoss(v, x, y), Arrays.QuadraticMetaLossGrad(w, x, y), Scaled(x, r * q * q), w, "QuadraticMetaLoss");
        }
    }
}
