using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class LayerNormKernelsTests
{
    private const float Epsilon = 1e-5f;

    [Fact]
    public void NormalizeAndItsScaleMatchADoubleReferenceEvenForALargeMean()
    {
        // A row of mean 1000 and spread 1: a one-pass E[x²] − E[x]² would lose most digits in float.
        var random = new Random(1);
        const int rows = 3, cols = 64;
        float[] x = Enumerable.Range(0, rows * cols).Select(i => (i / cols == 1 ? 1000f : 0f) + (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] y = new float[rows * cols], scale = new float[rows];
        LayerNormKernels.Normalize(x, y, rows, cols, Epsilon);
        LayerNormKernels.InverseDeviation(x, scale, rows, cols, Epsilon);
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.Skip(r * cols).Take(cols).Select(v => (double)v).ToArray();
            double mean = row.Average(), inverse = 1 / Math.Sqrt(row.Average(v => (v - mean) * (v - mean)) + Epsilon);
            Assert.Equal(inverse, scale[r], inverse * 1e-5);
            for (int c = 0; c < cols; c++)
                Assert.Equal((row[c] - mean) * inverse, y[r * cols + c], 2e-4);
        }
    }

    [Fact]
    public void BackwardIsTheJacobianTimesTheGradient()
    {
        // Central differences of <g, Normalize(x)> in double against Backward(x, g).
        var random = new Random(2);
        const int cols = 9;
        float[] x = Enumerable.Range(0, cols).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] g = Enumerable.Range(0, cols).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] dx = new float[cols], normalised = new float[cols], scale = new float[1];
        LayerNormKernels.Normalize(x, normalised, 1, cols, Epsilon);
        LayerNormKernels.InverseDeviation(x, scale, 1, cols, Epsilon);
        LayerNormKernels.Backward(normalised, scale, g, dx, 1, cols);
        double Objective(double[] v)
        {
            double mean = v.Average(), inverse = 1 / Math.Sqrt(v.Average(e => (e - mean) * (e - mean)) + Epsilon);
            return v.Select((e, c) => (e - mean) * inverse * g[c]).Sum();
        }
        for (int c = 0; c < cols; c++)
        {
            double[] plus = x.Select(v => (double)v).ToArray(), minus = plus.ToArray();
            plus[c] += 1e-6;
            minus[c] -= 1e-6;
            Assert.Equal((Objective(plus) - Objective(minus)) / 2e-6, dx[c], 1e-4);
        }
        Assert.Throws<ArgumentException>(() => LayerNormKernels.Backward(normalised, scale, g, new float[cols - 1], 1, cols));
    }
}
