using System;

namespace Dsl.Kernels;

/// <summary>
/// Layer normalisation over the rows of a row-major [rows, cols] matrix, one pass per row each:
/// the normalised rows x̂ = (x − mean)·r with r = 1/√(var + ε), the per-row r alone, and the
/// backward product J·g from x̂ and r (J, the Jacobian of x ↦ x̂, is symmetric, so the same kernel
/// is the VJP and the JVP). Means and variances are computed in two passes (centre, then square), so rows
/// with a large mean lose nothing to cancellation.
/// </summary>
/// <remarks>Inputs may be longer than rows·cols (buffers sized for the largest batch); the extra elements are ignored.</remarks>
public static class LayerNormKernels
{
    /// <summary>y[r, :] = (x[r, :] − mean) / √(var + ε), the variance biased (divided by cols), as nn.LayerNorm before its affine part.</summary>
    /// <param name="x">The input, [rows, cols].</param>
    /// <param name="y">The normalised rows, [rows, cols]; may not overlap <paramref name="x"/>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row, at least 1.</param>
    /// <param name="epsilon">Added to the variance (nn.LayerNorm: 1e-5).</param>
    public static void Normalize(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, float epsilon)
    {
        Check(x.Length, rows * cols, nameof(x));
        Check(y.Length, rows * cols, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * cols, cols);
            (float mean, float inverse) = Moments(row, epsilon);
            Span<float> output = y.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
                output[c] = (row[c] - mean) * inverse;
        }
    }

    /// <summary>inverse[r] = 1 / √(var(x[r, :]) + ε): the scale a row is normalised by.</summary>
    /// <param name="x">The input, [rows, cols].</param>
    /// <param name="inverse">One value per row, [rows].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row, at least 1.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static void InverseDeviation(ReadOnlySpan<float> x, Span<float> inverse, int rows, int cols, float epsilon)
    {
        Check(x.Length, rows * cols, nameof(x));
        Check(inverse.Length, rows, nameof(inverse));
        for (int r = 0; r < rows; r++)
            inverse[r] = Moments(x.Slice(r * cols, cols), epsilon).Inverse;
    }

    /// <summary>
    /// dx[r, :] = scale[r]·(g − mean(g) − x̂·mean(g ⊙ x̂)) per row: the gradient of <see cref="Normalize"/>
    /// for an output gradient g (and, J being symmetric, its forward derivative along g), from the
    /// forward's normalised rows x̂ and <see cref="InverseDeviation"/> scales, as PyTorch keeps rstd.
    /// </summary>
    /// <param name="normalised">The forward's output x̂, [rows, cols].</param>
    /// <param name="scale">The forward's 1/√(var + ε) per row, [rows].</param>
    /// <param name="g">The gradient of the output, [rows, cols].</param>
    /// <param name="dx">The result, [rows, cols]; may not overlap the inputs.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row, at least 1.</param>
    public static void Backward(ReadOnlySpan<float> normalised, ReadOnlySpan<float> scale, ReadOnlySpan<float> g, Span<float> dx, int rows, int cols)
    {
        Check(normalised.Length, rows * cols, nameof(normalised));
        Check(scale.Length, rows, nameof(scale));
        Check(g.Length, rows * cols, nameof(g));
        Check(dx.Length, rows * cols, nameof(dx));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = normalised.Slice(r * cols, cols), gradient = g.Slice(r * cols, cols);
            float sumG = 0f, sumGx = 0f;
            for (int c = 0; c < cols; c++)
            {
                sumG += gradient[c];
                sumGx += gradient[c] * row[c];
            }
            float meanG = sumG / cols, meanGx = sumGx / cols, inverse = scale[r];
            Span<float> output = dx.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
                output[c] = inverse * (gradient[c] - meanG - row[c] * meanGx);
        }
    }

    /// <summary>The row's mean and 1/√(biased variance + ε), in two passes, summed in the row's order.</summary>
    private static (float Mean, float Inverse) Moments(ReadOnlySpan<float> row, float epsilon)
    {
        float sum = 0f;
        foreach (float v in row)
            sum += v;
        float mean = sum / row.Length;
        float squares = 0f;
        foreach (float v in row)
            squares += (v - mean) * (v - mean);
        return (mean, 1f / MathF.Sqrt(squares / row.Length + epsilon));
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; {needed} are needed.", name);
    }
}
