using System;
using Dsl.EndToEnd.Tests.Calculus;
using Xunit;

namespace Dsl.EndToEnd.Tests.Functions;

/// <summary>The pinned derivatives of <see cref="Derivatives"/> whose shape the generator's DerivedCodeShapeTests constrain, held to their values.</summary>
public class DerivativesTests
{
    [Fact]
    public void Rosenbrock_sum_gradient_without_a_forward_loop()
    {
        var random = new Random(7);
        for (int t = 0; t < 4; t++)
        {
            double[] p = Check.Vector(random, 6, -1.5, 1.5);
            var analytic = new double[p.Length];
            for (int i = 0; i < p.Length - 1; i++)
            {
                double a = 1 - p[i], b = p[i + 1] - p[i] * p[i];
                analytic[i] += -2 * a - 400 * b * p[i];
                analytic[i + 1] += 200 * b;
            }
            Check.Close(analytic, Derivatives.RosenbrockSumGrad(p), Check.Analytic, "RosenbrockSumGrad");
        }
    }

    [Fact]
    public void Quartic_Hessian_vector_product()
    {
        var random = new Random(8);
        for (int t = 0; t < 4; t++)
        {
            double[] x = Check.Vector(random, 5), v = Check.Vector(random, 5);
            double s = Check.Dot(x, x), xv = Check.Dot(x, v);
            var (grad, hv) = Derivatives.QuarticHvp(x, v);
            for (int i = 0; i < x.Length; i++)
            {
                Check.Close(4 * s * x[i], grad[i], Check.Analytic, $"QuarticHvp grad[{i}]");
                Check.Close(8 * xv * x[i] + 4 * s * v[i], hv[i], Check.Analytic, $"QuarticHvp Hv[{i}]");
            }
        }
    }
}
