using System;
using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Layer normalisation forward (normalised rows and inverse deviations, with the epsilon passed
/// in) and backward, within 1e-5·(1 + |y|).
/// </summary>
public abstract class NormalizationKernelTests : KernelContractTests
{
    private const double Tolerance = 1e-5;
    private const int Rows = 11, Cols = 37, Offset = 2;

    [KernelFact]
    public void ForwardWithTheGivenEpsilon()
    {
        // A row of equal values has no variance: only epsilon keeps its inverse finite, so a wrong epsilon shows.
        float[] x = RandomFloats(1, Offset + (Rows * Cols), 2f);
        for (int c = 0; c < Cols; c++)
            x[Offset + c] = 0.5f;
        foreach (float epsilon in new[] { 1e-5f, 1e-2f })
        {
            Verify(
                h =>
                {
                    var y = h.Zeros(Rows * Cols);
                    h.Kernels.LayerNorm(Rows, Cols, epsilon, h.Floats(x).Slice(Offset), y);
                    return h.Read(y);
                },
                () => Enumerable.Range(0, Rows).SelectMany(r =>
                {
                    (double[] row, double mean, double inverse) = Moments(x, r, epsilon);
                    return row.Select(v => (v - mean) * inverse);
                }).ToArray(),
                Tolerance);
            Verify(
                h =>
                {
                    var inverse = h.Zeros(Rows);
                    h.Kernels.LayerNormInverseDeviation(Rows, Cols, epsilon, h.Floats(x).Slice(Offset), inverse);
                    return h.Read(inverse);
                },
                () => Enumerable.Range(0, Rows).Select(r => Moments(x, r, epsilon).Inverse).ToArray(),
                Tolerance);
        }
    }

    [KernelFact]
    public void Backward()
    {
        float[] xhat = RandomFloats(2, Offset + (Rows * Cols), 2f), scale = RandomFloats(3, Rows, 3f), g = RandomFloats(4, Rows * Cols);
        Verify(
            h =>
            {
                var dx = h.Zeros(Rows * Cols);
                h.Kernels.LayerNormBackward(Rows, Cols, h.Floats(xhat).Slice(Offset), h.Floats(scale), h.Floats(g), dx);
                return h.Read(dx);
            },
            () =>
            {
                var dx = new double[Rows * Cols];
                for (int r = 0; r < Rows; r++)
                {
                    double meanG = 0, meanGx = 0;
                    for (int c = 0; c < Cols; c++)
                    {
                        meanG += g[(r * Cols) + c];
                        meanGx += (double)g[(r * Cols) + c] * xhat[Offset + (r * Cols) + c];
                    }

                    meanG /= Cols;
                    meanGx /= Cols;
                    for (int c = 0; c < Cols; c++)
                        dx[(r * Cols) + c] = scale[r] * (g[(r * Cols) + c] - meanG - (xhat[Offset + (r * Cols) + c] * meanGx));
                }

                return dx;
            },
            Tolerance);
    }

    private static (double[] Row, double Mean, double Inverse) Moments(float[] x, int r, float epsilon)
    {
        double[] row = x.Skip(Offset + (r * Cols)).Take(Cols).Select(v => (double)v).ToArray();
        double mean = row.Average();
        double variance = row.Sum(v => (v - mean) * (v - mean)) / Cols;
        return (row, mean, 1 / Math.Sqrt(variance + epsilon));
    }
}

/// <summary>The CPU's normalisation against the double reference.</summary>
public sealed class CpuNormalizationKernelTests : NormalizationKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL normalisation against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClNormalizationKernelTests(OpenClKernelsFixture fixture) : NormalizationKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
