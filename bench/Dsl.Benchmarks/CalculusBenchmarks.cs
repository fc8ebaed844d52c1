using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Dsl.Benchmarks;

/// <summary>
/// Gradients derived by the generator (<c>[Grad]</c> of a <c>[Differentiable]</c> function) against
/// the derivative written by hand, on three functions: the sum of squared residuals of an
/// element-wise linear model, the n-dimensional Rosenbrock function and sin(x)·exp(−x²). Each pair
/// is a category whose baseline is the hand-written side, so the Ratio column is generated / hand.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CalculusBenchmarks
{
    /// <summary>The length of the vectors (and the number of points for the scalar function).</summary>
    public const int Length = 1000;

    private double[] _w = [], _x = [], _y = [], _p = [], _points = [];

    /// <summary>Fills the inputs with values in [-1, 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Fill()
        {
            var a = new double[Length];
            for (int i = 0; i < a.Length; i++)
                a[i] = 2 * random.NextDouble() - 1;
            return a;
        }
        (_w, _x, _y, _p, _points) = (Fill(), Fill(), Fill(), Fill(), Fill());
    }

    /// <summary>The generated gradient of Σ (w[i]·x[i] − y[i])² wrt w.</summary>
    [Benchmark, BenchmarkCategory("residuals")]
    public double[] ResidualsGenerated() => CalculusFunctions.ResidualsGrad(_w, _x, _y);

    /// <summary>g[i] = 2(w[i]·x[i] − y[i])·x[i], written by hand.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("residuals")]
    public double[] ResidualsHand()
    {
        double[] w = _w, x = _x, y = _y;
        var g = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
            g[i] = 2 * (w[i] * x[i] - y[i]) * x[i];
        return g;
    }

    /// <summary>The generated gradient of the Rosenbrock function.</summary>
    [Benchmark, BenchmarkCategory("rosenbrock")]
    public double[] RosenbrockGenerated() => CalculusFunctions.RosenbrockGrad(_p);

    /// <summary>The Rosenbrock gradient written by hand: each term touches p[i] and p[i + 1].</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("rosenbrock")]
    public double[] RosenbrockHand()
    {
        double[] p = _p;
        var g = new double[p.Length];
        for (int i = 0; i < p.Length - 1; i++)
        {
            double a = 1 - p[i], b = p[i + 1] - p[i] * p[i];
            g[i] += -2 * a - 400 * b * p[i];
            g[i + 1] += 200 * b;
        }
        return g;
    }

    /// <summary>The generated derivative of sin(x)·exp(−x²), summed over the points (a scalar call is a few ns).</summary>
    [Benchmark, BenchmarkCategory("sin*exp")]
    public double WaveGenerated()
    {
        double sum = 0;
        foreach (double x in _points)
            sum += CalculusFunctions.WaveGrad(x);
        return sum;
    }

    /// <summary>exp(−x²)·(cos x − 2x·sin x), written by hand, summed over the same points.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("sin*exp")]
    public double WaveHand()
    {
        double sum = 0;
        foreach (double x in _points)
            sum += WaveDerivative(x);
        return sum;
    }

    // A method of its own, as the generated side is, so both pay (or inline) the same call.
    private static double WaveDerivative(double x) => Math.Exp(-x * x) * (Math.Cos(x) - 2 * x * Math.Sin(x));
}

/// <summary>The functions <see cref="CalculusBenchmarks"/> differentiates, and their generated gradients.</summary>
public static partial class CalculusFunctions
{
    /// <summary>Σ (w[i]·x[i] − y[i])².</summary>
    [Differentiable]
    public static double Residuals(double[] w, double[] x, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double r = w[i] * x[i] - y[i];
            sum += r * r;
        }
        return sum;
    }

    /// <summary>The gradient of <see cref="Residuals"/> wrt w.</summary>
    [Grad(nameof(Residuals), WithRespectTo = "w")]
    public static partial double[] ResidualsGrad(double[] w, double[] x, double[] y);

    /// <summary>Σ (1 − p[i])² + 100(p[i + 1] − p[i]²)².</summary>
    [Differentiable]
    public static double Rosenbrock(double[] p)
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

    /// <summary>The gradient of <see cref="Rosenbrock"/>.</summary>
    [Grad(nameof(Rosenbrock))]
    public static partial double[] RosenbrockGrad(double[] p);

    /// <summary>sin(x)·exp(−x²).</summary>
    [Differentiable]
    public static double Wave(double x) => Math.Sin(x) * Math.Exp(-x * x);

    /// <summary>The derivative of <see cref="Wave"/>.</summary>
    [Grad(nameof(Wave))]
    public static partial double WaveGrad(double x);
}
