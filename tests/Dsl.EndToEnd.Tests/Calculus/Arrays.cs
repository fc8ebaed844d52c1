using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>Functions of arrays: loops, several parameters, array results, Jacobians, Hessians, Vmap and a gradient through a gradient.</summary>
public static partial class Arrays
{
    // ---- Loops ----

    /// <summary>w · x.</summary>
    [Differentiable]
    public static double Dot(double[] w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * x[i];
        return s;
    }
    /// <summary>∂/∂w = x.</summary>
    [Grad(nameof(Dot), WithRespectTo = "w")] public static partial double[] DotGradW(double[] w, double[] x);
    /// <summary>∂/∂x = w.</summary>
    [Grad(nameof(Dot), WithRespectTo = "x")] public static partial double[] DotGradX(double[] w, double[] x);

    /// <summary>Σ x².</summary>
    [Differentiable]
    public static double SumOfSquares(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }
    /// <summary>2x.</summary>
    [Grad(nameof(SumOfSquares))] public static partial double[] SumOfSquaresGrad(double[] x);

    /// <summary>Π x: the running product is overwritten each step, so reverse mode needs its old values.</summary>
    [Differentiable]
    public static double Product(double[] x)
    {
        double p = 1;
        for (int i = 0; i < x.Length; i++) p *= x[i];
        return p;
    }
    /// <summary>∂/∂x_i = Π_{j≠i} x_j.</summary>
    [Grad(nameof(Product))] public static partial double[] ProductGrad(double[] x);

    /// <summary>Horner's rule, coefficients highest power first.</summary>
    [Differentiable]
    public static double Horner(double[] c, double x)
    {
        double r = 0;
        for (int i = 0; i < c.Length; i++) r = r * x + c[i];
        return r;
    }
    /// <summary>(∂/∂c, ∂/∂x).</summary>
    [Grad(nameof(Horner), WithRespectTo = "c, x")] public static partial (double[], double) HornerGrad(double[] c, double x);

    /// <summary>Σ_i tanh((W x)_i), W row-major with x.Length columns: nested loops and int arithmetic on indices.</summary>
    [Differentiable]
    public static double MatVecTanh(double[] w, double[] x)
    {
        int n = x.Length;
        int m = w.Length / n;
        double total = 0;
        for (int i = 0; i < m; i++)
        {
            double y = 0;
            for (int j = 0; j < n; j++) y += w[i * n + j] * x[j];
            total += Math.Tanh(y);
        }
        return total;
    }
    /// <summary>(∂/∂w, ∂/∂x).</summary>
    [Grad(nameof(MatVecTanh), WithRespectTo = "w, x")] public static partial (double[], double[]) MatVecTanhGrad(double[] w, double[] x);

    /// <summary>W x, W row-major with x.Length columns.</summary>
    [Differentiable]
    public static double[] MatVec(double[] w, double[] x)
    {
        int n = x.Length;
        int m = w.Length / n;
        var r = new double[m];
        for (int i = 0; i < m; i++)
        {
            double y = 0;
            for (int j = 0; j < n; j++) y += w[i * n + j] * x[j];
            r[i] = y;
        }
        return r;
    }
    /// <summary>∂(Wx)/∂x = W.</summary>
    [Jacobian(nameof(MatVec), WithRespectTo = "x")] public static partial double[,] MatVecJacobian(double[] w, double[] x);

    // ---- A loss, its gradients and Vmap ----

    /// <summary>½(tanh(w · x + b) - y)².</summary>
    [Differentiable]
    public static double Loss(double[] w, double b, double[] x, double y)
    {
        double z = b;
        for (int i = 0; i < w.Length; i++) z += w[i] * x[i];
        var r = Math.Tanh(z) - y;
        return 0.5 * r * r;
    }
    /// <summary>∂/∂w.</summary>
    [Grad(nameof(Loss), WithRespectTo = "w")] public static partial double[] LossGradW(double[] w, double b, double[] x, double y);
    /// <summary>(∂/∂w, ∂/∂b).</summary>
    [Grad(nameof(Loss), WithRespectTo = "w, b")] public static partial (double[], double) LossGrads(double[] w, double b, double[] x, double y);
    /// <summary>(loss, ∂/∂w).</summary>
    [ValueAndGrad(nameof(Loss), WithRespectTo = "w")] public static partial (double Value, double[] Grad) LossAndGradW(double[] w, double b, double[] x, double y);
    /// <summary>(loss, ∂/∂w, ∂/∂b).</summary>
    [ValueAndGrad(nameof(Loss), WithRespectTo = "w, b")] public static partial (double Value, double[] W, double B) LossAndGrads(double[] w, double b, double[] x, double y);
    /// <summary>Per-example gradients: the examples mapped, the weights shared.</summary>
    [Vmap(nameof(LossGradW))] public static partial double[][] PerExampleGrads(double[] w, double b, double[][] xs, double[] ys);
    /// <summary>Per-example losses.</summary>
    [Vmap(nameof(Loss))] public static partial double[] PerExampleLosses(double[] w, double b, double[][] xs, double[] ys);

    // ---- Array results: Jvp, Vjp, Jacobians ----

    /// <summary>R² → R³, each output a different mix.</summary>
    [Differentiable]
    public static double[] Field(double[] p)
    {
        var r = new double[3];
        r[0] = p[0] * p[1];
        r[1] = Math.Sin(p[0]) + p[1] * p[1];
        r[2] = Math.Exp(p[0] - p[1]) / (1 + p[0] * p[0]);
        return r;
    }
    /// <summary>(Field(p), J v).</summary>
    [Jvp(nameof(Field))] public static partial (double[] Value, double[] Tangent) FieldJvp(double[] p, double[] v);
    /// <summary>(Field(p), Jᵀ u).</summary>
    [Vjp(nameof(Field))] public static partial (double[] Value, double[] Cotangent) FieldVjp(double[] p, double[] u);
    /// <summary>J, chosen mode.</summary>
    [Jacobian(nameof(Field))] public static partial double[,] FieldJacobian(double[] p);
    /// <summary>J, reverse mode.</summary>
    [JacRev(nameof(Field))] public static partial double[,] FieldJacRev(double[] p);
    /// <summary>J, forward mode.</summary>
    [JacFwd(nameof(Field))] public static partial double[,] FieldJacFwd(double[] p);

    /// <summary>Softmax: every output depends on every input through the loop's sum.</summary>
    [Differentiable]
    public static double[] Softmax(double[] x)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += Math.Exp(x[i]);
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = Math.Exp(x[i]) / total;
        return r;
    }
    /// <summary>(softmax(x), J v).</summary>
    [Jvp(nameof(Softmax))] public static partial (double[] Value, double[] Tangent) SoftmaxJvp(double[] x, double[] v);
    /// <summary>(softmax(x), Jᵀ u).</summary>
    [Vjp(nameof(Softmax))] public static partial (double[] Value, double[] Cotangent) SoftmaxVjp(double[] x, double[] u);
    /// <summary>J, chosen mode.</summary>
    [Jacobian(nameof(Softmax))] public static partial double[,] SoftmaxJacobian(double[] x);
    /// <summary>J, reverse mode.</summary>
    [JacRev(nameof(Softmax))] public static partial double[,] SoftmaxJacRev(double[] x);
    /// <summary>J, forward mode.</summary>
    [JacFwd(nameof(Softmax))] public static partial double[,] SoftmaxJacFwd(double[] x);

    /// <summary>Running products: r_i = Π_{j≤i} x_j, a loop-carried value written into the result.</summary>
    [Differentiable]
    public static double[] CumulativeProduct(double[] x)
    {
        var r = new double[x.Length];
        double p = 1;
        for (int i = 0; i < x.Length; i++)
        {
            p *= x[i];
            r[i] = p;
        }
        return r;
    }
    /// <summary>J, reverse mode.</summary>
    [JacRev(nameof(CumulativeProduct))] public static partial double[,] CumulativeProductJacRev(double[] x);
    /// <summary>J, forward mode.</summary>
    [JacFwd(nameof(CumulativeProduct))] public static partial double[,] CumulativeProductJacFwd(double[] x);

    // ---- Hessians ----

    /// <summary>Rosenbrock's function in n dimensions.</summary>
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }
        return s;
    }
    /// <summary>∇.</summary>
    [Grad(nameof(Rosenbrock))] public static partial double[] RosenbrockGrad(double[] x);
    /// <summary>∇².</summary>
    [Hessian(nameof(Rosenbrock))] public static partial double[,] RosenbrockHessian(double[] x);
    /// <summary>Forward over reverse by hand: (∇f, ∇²f v).</summary>
    [Jvp(nameof(RosenbrockGrad))] public static partial (double[] Value, double[] Tangent) RosenbrockHvp(double[] x, double[] v);

    /// <summary>log Σ exp x: its Hessian diag(s) - s sᵀ is dense.</summary>
    [Differentiable]
    public static double LogSumExp(double[] x)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += Math.Exp(x[i]);
        return Math.Log(total);
    }
    /// <summary>∇².</summary>
    [Hessian(nameof(LogSumExp))] public static partial double[,] LogSumExpHessian(double[] x);

    // ---- A gradient through a gradient ----

    /// <summary>A logistic loss of one example.</summary>
    [Differentiable]
    public static double Logistic(double[] w, double[] x, double y)
    {
        double z = 0;
        for (int i = 0; i < w.Length; i++) z += w[i] * x[i];
        return Math.Log(1 + Math.Exp(-y * z));
    }
    /// <summary>∂/∂w.</summary>
    [Grad(nameof(Logistic))] public static partial double[] LogisticGrad(double[] w, double[] x, double y);

    /// <summary>The loss after one inner gradient step (MAML's objective).</summary>
    [Differentiable]
    public static double MetaLoss(double[] w, double[] x, double y)
    {
        var g = LogisticGrad(w, x, y);
        var adapted = new double[w.Length];
        for (int i = 0; i < w.Length; i++) adapted[i] = w[i] - 0.1 * g[i];
        return Logistic(adapted, x, y);
    }
    /// <summary>∂/∂w through the inner step.</summary>
    [Grad(nameof(MetaLoss))] public static partial double[] MetaLossGrad(double[] w, double[] x, double y);

    /// <summary>½(w · x - y)².</summary>
    [Differentiable]
    public static double Quadratic(double[] w, double[] x, double y)
    {
        double r = -y;
        for (int i = 0; i < w.Length; i++) r += w[i] * x[i];
        return 0.5 * r * r;
    }
    /// <summary>∂/∂w.</summary>
    [Grad(nameof(Quadratic))] public static partial double[] QuadraticGrad(double[] w, double[] x, double y);

    /// <summary>The quadratic after one inner step: (w·x - y)(1 - 0.1|x|²) is the adapted residual.</summary>
    [Differentiable]
    public static double QuadraticMetaLoss(double[] w, double[] x, double y)
    {
        var g = QuadraticGrad(w, x, y);
        var adapted = new double[w.Length];
        for (int i = 0; i < w.Length; i++) adapted[i] = w[i] - 0.1 * g[i];
        return Quadratic(adapted, x, y);
    }
    /// <summary>(w·x - y)(1 - 0.1|x|²)² x.</summary>
    [Grad(nameof(QuadraticMetaLoss))] public static partial double[] QuadraticMetaLossGrad(double[] w, double[] x, double y);

    // ---- More loops and array results ----

    /// <summary>Two outputs accumulated with += and -= on result elements.</summary>
    [Differentiable]
    public static double[] Moments(double[] x)
    {
        var r = new double[2];
        for (int i = 0; i < x.Length; i++)
        {
            r[0] += x[i] * x[i];
            r[1] -= Math.Sin(x[i]);
        }
        return r;
    }
    /// <summary>J, reverse mode.</summary>
    [JacRev(nameof(Moments))] public static partial double[,] MomentsJacRev(double[] x);
    /// <summary>J, forward mode.</summary>
    [JacFwd(nameof(Moments))] public static partial double[,] MomentsJacFwd(double[] x);

    /// <summary>r_i = r_{i-1} cos x_i + x_i: each output read back to make the next, the loop from 1.</summary>
    [Differentiable]
    public static double[] Recurrence(double[] x)
    {
        var r = new double[x.Length];
        r[0] = x[0];
        for (int i = 1; i < x.Length; i++) r[i] = r[i - 1] * Math.Cos(x[i]) + x[i];
        return r;
    }
    /// <summary>J, forward mode.</summary>
    [JacFwd(nameof(Recurrence))] public static partial double[,] RecurrenceJacFwd(double[] x);
    /// <summary>(Recurrence(x), J v).</summary>
    [Jvp(nameof(Recurrence))] public static partial (double[] Value, double[] Tangent) RecurrenceJvp(double[] x, double[] v);

    /// <summary>A branch in a loop body: x² above 0, 0.1x below.</summary>
    [Differentiable]
    public static double LeakySquares(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0) s += x[i] * x[i];
            else s += 0.1 * x[i];
        }
        return s;
    }
    /// <summary>∇.</summary>
    [Grad(nameof(LeakySquares))] public static partial double[] LeakySquaresGrad(double[] x);
    /// <summary>∇²: diagonal, 2 where x &gt; 0.</summary>
    [Hessian(nameof(LeakySquares))] public static partial double[,] LeakySquaresHessian(double[] x);

    /// <summary>Max, Min and a ternary in a loop.</summary>
    [Differentiable]
    public static double Hinge(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Max(0, 1 - x[i]) + (x[i] > 0.5 ? x[i] * x[i] : Math.Min(x[i], -x[i] * 0.5));
        return s;
    }
    /// <summary>∇.</summary>
    [Grad(nameof(Hinge))] public static partial double[] HingeGrad(double[] x);

    /// <summary>-log softmax(x)_k: a call returning an array, held in a local and indexed by an int parameter.</summary>
    [Differentiable]
    public static double NegativeLogLikelihood(double[] x, int k)
    {
        var s = Softmax(x);
        return -Math.Log(s[k]);
    }
    /// <summary>softmax(x) - e_k.</summary>
    [Grad(nameof(NegativeLogLikelihood))] public static partial double[] NegativeLogLikelihoodGrad(double[] x, int k);

    /// <summary>The same, indexing the call directly.</summary>
    [Differentiable] public static double NegativeLogLikelihoodInline(double[] x, int k) => -Math.Log(Softmax(x)[k]);
    /// <summary>softmax(x) - e_k.</summary>
    [Grad(nameof(NegativeLogLikelihoodInline))] public static partial double[] NegativeLogLikelihoodInlineGrad(double[] x, int k);

    /// <summary>A local array and a parameter passed to another function, the parameter twice.</summary>
    [Differentiable]
    public static double SinDot(double[] x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Math.Sin(x[i]);
        return Dot(y, x) + Dot(x, x);
    }
    /// <summary>x cos x + sin x + 2x.</summary>
    [Grad(nameof(SinDot))] public static partial double[] SinDotGrad(double[] x);

    /// <summary>Σ (3x²)²: the body calls a gradient.</summary>
    [Differentiable]
    public static double GradNorm(double[] x)
    {
        var g = CubesGrad(x);
        return Dot(g, g);
    }
    /// <summary>Σ x³.</summary>
    [Differentiable]
    public static double Cubes(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i] * x[i];
        return s;
    }
    /// <summary>3x².</summary>
    [Grad(nameof(Cubes))] public static partial double[] CubesGrad(double[] x);
    /// <summary>diag(108 x²): a Hessian through a gradient.</summary>
    [Hessian(nameof(GradNorm))] public static partial double[,] GradNormHessian(double[] x);

    // ---- Several differentiated parameters in forward and reverse mode; Vmap of a tuple ----

    /// <summary>Loss pushed forward along (dw, db).</summary>
    [Jvp(nameof(Loss), WithRespectTo = "w, b")] public static partial (double Value, double Tangent) LossJvp(double[] w, double b, double[] x, double y, double[] dw, double db);
    /// <summary>A cotangent of Loss pulled back onto w and b.</summary>
    [Vjp(nameof(Loss), WithRespectTo = "w, b")] public static partial (double Value, double[] W, double B) LossVjp(double[] w, double b, double[] x, double y, double ct);
    /// <summary>Per-example (loss, ∂/∂w): Vmap of a tuple result batches each part.</summary>
    [Vmap(nameof(LossAndGradW))] public static partial (double[] Values, double[][] Grads) PerExampleLossAndGrad(double[] w, double b, double[][] xs, double[] ys);

    // ---- float arrays ----

    /// <summary>Σ x tanh x in float.</summary>
    [Differentiable]
    public static float TanhSumF(float[] x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += MathF.Tanh(x[i]) * x[i];
        return s;
    }
    /// <summary>tanh x + x(1 - tanh² x).</summary>
    [Grad(nameof(TanhSumF))] public static partial float[] TanhSumFGrad(float[] x);

    /// <summary>Polar to Cartesian in float.</summary>
    [Differentiable]
    public static float[] PolarF(float[] p)
    {
        var r = new float[2];
        r[0] = p[0] * MathF.Cos(p[1]);
        r[1] = p[0] * MathF.Sin(p[1]);
        return r;
    }
    /// <summary>J.</summary>
    [Jacobian(nameof(PolarF))] public static partial float[,] PolarFJacobian(float[] p);

    // ---- Spans ----

    /// <summary>Σ sin(x_i) x_i over a span.</summary>
    [Differentiable]
    public static double SpanSum(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Sin(x[i]) * x[i];
        return s;
    }
    /// <summary>sin x_i + x_i cos x_i.</summary>
    [Grad(nameof(SpanSum))] public static partial double[] SpanSumGrad(System.ReadOnlySpan<double> x);
}
