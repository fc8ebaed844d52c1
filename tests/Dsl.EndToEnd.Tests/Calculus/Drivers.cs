using System;
using Dsl;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>
/// What the Jacobian, Hessian and Vmap drivers must cope with: parameters named like the drivers'
/// own locals, span parameters, and batches of matrices.
/// </summary>
public static partial class Drivers
{
    // ---- Parameters named like the drivers' locals ----

    /// <summary>result₀² result₁: the Hessian driver's accumulator is also called result.</summary>
    [Differentiable] public static double Energy(double[] result) => result[0] * result[0] * result[1];
    /// <summary>[[2 r₁, 2 r₀], [2 r₀, 0]].</summary>
    [Hessian(nameof(Energy))] public static partial double[,] EnergyHessian(double[] result);

    /// <summary>tangent₀ tangent₁ · column · i: the names of the Hessian driver's unit tangent, column and row index.</summary>
    [Differentiable] public static double Bilinear(double[] tangent, double column, double i) => tangent[0] * tangent[1] * column * i;
    /// <summary>column · i · [[0, 1], [1, 0]].</summary>
    [Hessian(nameof(Bilinear))] public static partial double[,] BilinearHessian(double[] tangent, double column, double i);

    /// <summary>(value₀ value₁ · jacobian, value₀ · row): the names of the row driver's source value, result and row.</summary>
    [Differentiable]
    public static double[] Pair(double[] value, double jacobian, double row)
    {
        var r = new double[2];
        r[0] = value[0] * value[1] * jacobian;
        r[1] = value[0] * row;
        return r;
    }
    /// <summary>[[v₁ J, v₀ J], [row, 0]].</summary>
    [JacRev(nameof(Pair))] public static partial double[,] PairJacRev(double[] value, double jacobian, double row);
    /// <summary>The same, columns by forward mode.</summary>
    [JacFwd(nameof(Pair))] public static partial double[,] PairJacFwd(double[] value, double jacobian, double row);
    /// <summary>The same, the mode chosen by shape.</summary>
    [Jacobian(nameof(Pair))] public static partial double[,] PairJacobian(double[] value, double jacobian, double row);

    /// <summary>x · i₀: the Vmap driver's index is i.</summary>
    [Differentiable] public static double Scale(double x, double[] i) => x * i[0];
    /// <summary>Scale over x, i shared.</summary>
    [Vmap(nameof(Scale))] public static partial double[] ScaleBatch(double[] x, double[] i);

    /// <summary>results · w: the Vmap driver's output is results.</summary>
    [Differentiable] public static double Product(double results, double w) => results * w;
    /// <summary>(value, ∂/∂results).</summary>
    [ValueAndGrad(nameof(Product))] public static partial (double, double) ProductValueAndGrad(double results, double w);
    /// <summary>Over results, w shared.</summary>
    [Vmap(nameof(ProductValueAndGrad))] public static partial (double[], double[]) ProductValueAndGradBatch(double[] results, double w);

    // ---- Span parameters ----

    /// <summary>x² element-wise, read from a span.</summary>
    [Differentiable]
    public static double[] Squares(ReadOnlySpan<double> x)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = x[i] * x[i];
        return r;
    }
    /// <summary>diag(2x).</summary>
    [Jacobian(nameof(Squares))] public static partial double[,] SquaresJacobian(ReadOnlySpan<double> x);
    /// <summary>diag(2x), rows by reverse mode.</summary>
    [JacRev(nameof(Squares))] public static partial double[,] SquaresJacRev(ReadOnlySpan<double> x);
    /// <summary>diag(2x), columns by forward mode.</summary>
    [JacFwd(nameof(Squares))] public static partial double[,] SquaresJacFwd(ReadOnlySpan<double> x);

    /// <summary>s Σ x³.</summary>
    [Differentiable]
    public static double Cubes(ReadOnlySpan<double> x, double s)
    {
        double t = 0;
        for (int i = 0; i < x.Length; i++) t += s * x[i] * x[i] * x[i];
        return t;
    }
    /// <summary>diag(6 s x).</summary>
    [Hessian(nameof(Cubes))] public static partial double[,] CubesHessian(ReadOnlySpan<double> x, double s);
    /// <summary>Over s, x shared.</summary>
    [Vmap(nameof(Cubes))] public static partial double[] CubesOverS(ReadOnlySpan<double> x, double[] s);

    // ---- Batches of matrices ----

    /// <summary>(r cos θ, r sin θ).</summary>
    [Differentiable]
    public static double[] Polar(double[] p)
    {
        var xy = new double[2];
        xy[0] = p[0] * Math.Cos(p[1]);
        xy[1] = p[0] * Math.Sin(p[1]);
        return xy;
    }
    /// <summary>[[cos θ, −r sin θ], [sin θ, r cos θ]].</summary>
    [Jacobian(nameof(Polar))] public static partial double[,] PolarJacobian(double[] p);
    /// <summary>One Jacobian per point.</summary>
    [Vmap(nameof(PolarJacobian))] public static partial double[][,] PolarJacobians(double[][] p);
    /// <summary>One Jacobian per point of each row of points.</summary>
    [Vmap(nameof(PolarJacobians))] public static partial double[][][,] PolarJacobianGrid(double[][][] p);

    /// <summary>x₀² x₁ in float.</summary>
    [Differentiable] public static float Cube(float[] x) => x[0] * x[0] * x[1];
    /// <summary>[[2 x₁, 2 x₀], [2 x₀, 0]].</summary>
    [Hessian(nameof(Cube))] public static partial float[,] CubeHessian(float[] x);
    /// <summary>One Hessian per point.</summary>
    [Vmap(nameof(CubeHessian))] public static partial float[][,] CubeHessians(float[][] x);
}
