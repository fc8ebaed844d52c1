using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>The driver edge cases of <see cref="Drivers"/>, each held to its derivative written out by hand.</summary>
public class DriverTests
{
    [Fact]
    public void Parameters_named_like_driver_locals()
    {
        double[] r = { 1.5, -2 };
        Check.Close(new[,] { { 2 * r[1], 2 * r[0] }, { 2 * r[0], 0 } }, Drivers.EnergyHessian(r), Check.Analytic, "EnergyHessian");
        Check.Close(new[,] { { 0, 3 * 0.5 }, { 3 * 0.5, 0 } }, Drivers.BilinearHessian(new[] { 0.7, -1.1 }, 3, 0.5), Check.Analytic, "BilinearHessian");

        double[] v = { 0.3, -1.7 };
        double[,] pair = { { v[1] * 2.5, v[0] * 2.5 }, { -4, 0 } };
        Check.Close(pair, Drivers.PairJacRev(v, 2.5, -4), Check.Analytic, "PairJacRev");
        Check.Close(pair, Drivers.PairJacFwd(v, 2.5, -4), Check.Analytic, "PairJacFwd");
        Check.Close(pair, Drivers.PairJacobian(v, 2.5, -4), Check.Analytic, "PairJacobian");

        Check.Close(new[] { 2 * 3.0, -1 * 3.0 }, Drivers.ScaleBatch(new[] { 2.0, -1 }, new[] { 3.0 }), Check.Analytic, "ScaleBatch");
        var (values, grads) = Drivers.ProductValueAndGradBatch(new[] { 2.0, -1 }, 4);
        Check.Close(new[] { 8.0, -4 }, values, Check.Analytic, "ProductValueAndGradBatch values");
        Check.Close(new[] { 4.0, 4 }, grads, Check.Analytic, "ProductValueAndGradBatch grads");
    }

    [Fact]
    public void Span_parameters()
    {
        double[] x = { 0.5, -1.5, 2 };
        var diagonal = new double[3, 3];
        for (int i = 0; i < 3; i++) diagonal[i, i] = 2 * x[i];
        Check.Close(diagonal, Drivers.SquaresJacobian(x), Check.Analytic, "SquaresJacobian");
        Check.Close(diagonal, Drivers.SquaresJacRev(x), Check.Analytic, "SquaresJacRev");
        Check.Close(diagonal, Drivers.SquaresJacFwd(x), Check.Analytic, "SquaresJacFwd");

        var hessian = new double[3, 3];
        for (int i = 0; i < 3; i++) hessian[i, i] = 6 * 0.25 * x[i];
        Check.Close(hessian, Drivers.CubesHessian(x, 0.25), Check.Analytic, "CubesHessian");
        double cubes = 0.125 - 3.375 + 8;
        Check.Close(new[] { 2 * cubes, -cubes }, Drivers.CubesOverS(x, new[] { 2.0, -1 }), Check.Analytic, "CubesOverS");
    }

    [Fact]
    public void Vmap_of_Jacobians_and_Hessians()
    {
        static double[,] Polar(double[] p) =>
            new[,] { { System.Math.Cos(p[1]), -p[0] * System.Math.Sin(p[1]) }, { System.Math.Sin(p[1]), p[0] * System.Math.Cos(p[1]) } };
        double[][] points = { new[] { 1.0, 0.3 }, new[] { 2.5, -1.2 }, new[] { 0.7, 2.8 } };
        double[][,] jacobians = Drivers.PolarJacobians(points);
        Assert.Equal(3, jacobians.Length);
        for (int k = 0; k < points.Length; k++)
            Check.Close(Polar(points[k]), jacobians[k], Check.Analytic, $"PolarJacobians[{k}]");
        double[][][,] grid = Drivers.PolarJacobianGrid(new[] { points, new[] { points[2] } });
        Check.Close(Polar(points[1]), grid[0][1], Check.Analytic, "PolarJacobianGrid[0][1]");
        Check.Close(Polar(points[2]), grid[1][0], Check.Analytic, "PolarJacobianGrid[1][0]");

        float[][,] hessians = Drivers.CubeHessians(new[] { new[] { 1f, 2f }, new[] { -0.5f, 3f } });
        Assert.Equal(new[,] { { 4f, 2f }, { 2f, 0f } }, hessians[0]);
        Assert.Equal(new[,] { { 6f, -1f }, { -1f, 0f } }, hessians[1]);
    }
}
