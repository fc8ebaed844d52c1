using System;

namespace Dsl.EndToEnd.Tests.Functions;

/// <summary>
/// A handful of derived functions whose generated source is pinned by the generator's snapshot
/// tests (<c>Snapshots/Derivatives</c>), so a reviewer can read what each transform writes: straight
/// code, loops with and without a tape, a branch, forward mode on arrays, a Hessian driver, a Vmap,
/// has_aux, a custom rule, a loop without a forward sweep and a Hessian-vector product.
/// </summary>
public static partial class Derivatives
{
    [Differentiable] public static double F(double x) => x * x + 2 * x + 1;

    [Grad(nameof(F))] public static partial double DF(double x);

    [Grad(nameof(DF))] public static partial double D2F(double x);

    [Differentiable]
    public static double Loss(double[] w, double[] x, double y)
    {
        double z = 0;
        for (int i = 0; i < w.Length; i++)
            z += w[i] * x[i];
        double e = z - y;
        return e * e;
    }

    [ValueAndGrad(nameof(Loss), WithRespectTo = "w")]
    public static partial (double Value, double[] Grad) LossAndGrad(double[] w, double[] x, double y);

    [Differentiable]
    public static double Product(double[] x)
    {
        double p = 1;
        for (int i = 0; i < x.Length; i++)
            p *= x[i];
        return p;
    }

    [Grad(nameof(Product))] public static partial double[] ProductGrad(double[] x);

    [Differentiable]
    public static double Softplus(double x)
    {
        if (x > 20)
            return x;
        return Math.Log(1 + Math.Exp(x));
    }

    [Grad(nameof(Softplus))] public static partial double SoftplusGrad(double x);

    [Differentiable]
    public static double[] Polar(double[] p)
    {
        var xy = new double[2];
        xy[0] = p[0] * Math.Cos(p[1]);
        xy[1] = p[0] * Math.Sin(p[1]);
        return xy;
    }

    [Jvp(nameof(Polar))] public static partial (double[] Value, double[] Tangent) PolarTangent(double[] p, double[] v);

    [Differentiable]
    public static double Rosenbrock(double[] p) => (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);

    [Hessian(nameof(Rosenbrock))] public static partial double[,] RosenbrockHessian(double[] p);

    [Vmap(nameof(DF))] public static partial double[] DFBatch(double[] xs);

    [Differentiable]
    public static (double Loss, double Mean) LossWithMean(double[] w, double[] x)
    {
        double loss = 0, sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double z = w[i] * x[i];
            loss += z * z;
            sum += z;
        }
        return (loss, sum / w.Length);
    }

    [ValueAndGrad(nameof(LossWithMean), HasAux = true)]
    public static partial ((double Loss, double Mean) Value, double[] Grad) LossWithMeanAndGrad(double[] w, double[] x);

    [Differentiable] public static double SafeSqrt(double x) => Math.Sqrt(x);

    [CustomVjp(nameof(SafeSqrt))]
    public static double SafeSqrtVjp(double x, double result, double cotangent) => result > 0 ? cotangent / (2 * result) : 0;

    [Differentiable] public static double Distance(double[] p) => SafeSqrt(p[0] * p[0] + p[1] * p[1]);

    [Grad(nameof(Distance))] public static partial double[] DistanceGrad(double[] p);

    [Differentiable]
    public static double RosenbrockSum(double[] p)
    {
        double sum = 0;
        for (int i = 0; i < p.Length - 1; i++)
        {
            double a = 1 - p[i];
            double b = p[i + 1] - p[i] * p[i];
            sum += a * a + 100 * b * b;
        }
        return sum;
    }

    [Grad(nameof(RosenbrockSum))] public static partial double[] RosenbrockSumGrad(double[] p);

    [Differentiable]
    public static double Quartic(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * x[i];
        return s * s;
    }

    [Grad(nameof(Quartic))] public static partial double[] QuarticGrad(double[] x);

    [Jvp(nameof(QuarticGrad))] public static partial (double[] Grad, double[] HessianTimesV) QuarticHvp(double[] x, double[] v);

    [JacRev(nameof(Polar))] public static partial double[,] PolarJacRev(double[] p);
}
