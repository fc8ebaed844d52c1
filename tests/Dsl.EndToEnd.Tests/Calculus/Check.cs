using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>
/// Comparisons and finite differences for the derivative tests. Errors are relative to the larger of
/// the two values and 1, so a derivative near zero is held to an absolute bound of the same size.
/// </summary>
internal static class Check
{
    /// <summary>Bound against a hand-derived derivative: only rounding separates the two.</summary>
    public const double Analytic = 1e-8;

    /// <summary>Bound against central differences, whose truncation error is about h² ≈ 1e-10 times the third derivative.</summary>
    public const double FiniteDifference = 1e-5;

    /// <summary>The step of a central difference at <paramref name="x"/>, scaled so it stays well above rounding.</summary>
    public static double Step(double x) => 1e-5 * Math.Max(1, Math.Abs(x));

    public static void Close(double expected, double actual, double tolerance, string what)
    {
        double scale = Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        double error = Math.Abs(actual - expected) / scale;
        Assert.True(error < tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2}, bound {tolerance:E0})");
    }

    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Close(expected[i], actual[i], tolerance, $"{what}[{i}]");
    }

    public static void Close(double[,] expected, double[,] actual, double tolerance, string what)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Close(expected[i, j], actual[i, j], tolerance, $"{what}[{i},{j}]");
    }

    /// <summary>The central difference of a scalar function.</summary>
    public static double Derivative(Func<double, double> f, double x)
    {
        double h = Step(x);
        return (f(x + h) - f(x - h)) / (2 * h);
    }

    /// <summary>The gradient of a scalar function of an array, one central difference per element.</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x)
    {
        var g = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
            g[j] = Column(v => new[] { f(v) }, x, j)[0];
        return g;
    }

    /// <summary>The Jacobian J[i, j] = ∂f_i/∂x_j of an array function, one central difference per column.</summary>
    public static double[,] Jacobian(Func<double[], double[]> f, double[] x)
    {
        double[] value = f(x);
        var jacobian = new double[value.Length, x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double[] column = Column(f, x, j);
            for (int i = 0; i < value.Length; i++) jacobian[i, j] = column[i];
        }
        return jacobian;
    }

    private static double[] Column(Func<double[], double[]> f, double[] x, int j)
    {
        double h = Step(x[j]);
        var plus = (double[])x.Clone();
        var minus = (double[])x.Clone();
        plus[j] += h;
        minus[j] -= h;
        double[] up = f(plus), down = f(minus);
        var column = new double[up.Length];
        for (int i = 0; i < up.Length; i++) column[i] = (up[i] - down[i]) / (2 * h);
        return column;
    }

    /// <summary><paramref name="count"/> points drawn uniformly from [lo, hi) with a fixed seed.</summary>
    public static double[] Points(int seed, double lo, double hi, int count = 8)
    {
        var random = new Random(seed);
        var points = new double[count];
        for (int i = 0; i < count; i++) points[i] = lo + (hi - lo) * random.NextDouble();
        return points;
    }

    /// <summary>A vector of <paramref name="length"/> values drawn uniformly from [lo, hi).</summary>
    public static double[] Vector(Random random, int length, double lo = -1, double hi = 1)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = lo + (hi - lo) * random.NextDouble();
        return v;
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
