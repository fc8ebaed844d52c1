using System;

namespace Dsl.Kernels;

/// <summary>
/// Layer normalisation over the rows of a row-major [rows, cols] matrix, one pass per row each:
/// the normalised rows x̂ = (x − mean)·r with r = 1/√(var + ε), the per-row r alone, and the
/// backward product J·g from x̂ and r (J, the Jacobian of x ↦ x̂, is symmetric, so the same kernel
/// is the VJP and the JVP). Means and variances are computed in two passes (centre, then square), so rows
/// with a large mean lose nothing to cancellation.
/// </summary>
/// <remarks>
/// Inputs may be longer than rows·cols (buffers sized for the largest batch); the extra elements
/// are ignored. Rows are vectorised and, for large matrices, split across cores with
/// <see cref="CpuParallel"/>; each row is computed alone, so results do not depend on the split.
/// </remarks>
public static unsafe partial class LayerNormKernels
{
    /// <summary>y[r, :] = (x[r, :] − mean) / √(var + ε), the variance biased (divided by cols), as nn.LayerNorm before its affine part.</summary>
    /// <param name="x">The input, [rows, cols].</param>
    /// <param name="y">The normalised rows, [rows, cols]; may not overlap <paramref name="x"/>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row, at least 1.</param>
    /// <param name="epsilon">Added to the variance (nn.LayerNorm: 1e-5).</param>
    public static void Normalize(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, float epsilon)
    {
        CheckCounts(rows, cols);
        Check(x.Length, rows * cols, nameof(x));
        Check(y.Length, rows * cols, nameof(y));
        fixed (float* px = x, py = y)
            RowSplit.Run(new NormalizeRows { X = px, Y = py, Cols = cols, Epsilon = epsilon }, rows, 2L * cols);
    }

    /// <summary>inverse[r] = 1 / √(var(x[r, :]) + ε): the scale a row is normalised by.</summary>
    /// <param name="x">The input, [rows, cols].</param>
    /// <param name="inverse">One value per row, [rows].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row, at least 1.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static void InverseDeviation(ReadOnlySpan<float> x, Span<float> inverse, int rows, int cols, float epsilon)
    {
        CheckCounts(rows, cols);
        Check(x.Length, rows * cols, nameof(x));
        Check(inverse.Length, rows, nameof(inverse));
        fixed (float* px = x, pi = inverse)
            RowSplit.Run(new InverseDeviationRows { X = px, Inverse = pi, Cols = cols, Epsilon = epsilon }, rows, cols);
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
        CheckCounts(rows, cols);
        Check(normalised.Length, rows * cols, nameof(normalised));
        Check(scale.Length, rows, nameof(scale));
        Check(g.Length, rows * cols, nameof(g));
        Check(dx.Length, rows * cols, nameof(dx));
        fixed (float* pn = normalised, ps = scale, pg = g, pd = dx)
            RowSplit.Run(new BackwardRows { Normalised = pn, Scale = ps, G = pg, Dx = pd, Cols = cols }, rows, 3L * cols);
    }

    private static void CheckCounts(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; {needed} are needed.", name);
    }
}
