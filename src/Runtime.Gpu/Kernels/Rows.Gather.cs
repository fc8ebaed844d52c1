using System;

namespace Dsl.Kernels;

// torch.gather along the last axis with float indices (ArgMax's), and its transpose: the kernels
// under Gather(x, axis, index), which the compiler moves last. An index is rounded toward zero; one
// outside [0, n) (or NaN) reads NaN and scatters nothing, since a compiled kernel cannot throw.
public static partial class Rows
{
    /// <summary>y[r, j] = x[r, index[r, j]], NaN where the index is outside [0, n).</summary>
    /// <param name="x">The rows, [rows, n].</param>
    /// <param name="index">The indices, [rows, k].</param>
    /// <param name="y">The values, [rows, k].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="n">The length of x's rows.</param>
    /// <param name="k">The number of indices per row.</param>
    public static void GatherLast(ReadOnlySpan<float> x, ReadOnlySpan<float> index, Span<float> y, int rows, int n, int k)
    {
        CheckMatrix(x.Length, rows, n, nameof(x));
        CheckMatrix(index.Length, rows, k, nameof(index));
        CheckMatrix(y.Length, rows, k, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < k; j++)
            {
                float at = index[(r * k) + j];
                y[(r * k) + j] = at >= 0f && at < n ? x[(r * n) + (int)at] : float.NaN;
            }
        }
    }

    /// <summary>y[r, c] = Σ g[r, j] over the j (in order) with index[r, j] = c; indices outside [0, n) add nothing.</summary>
    /// <param name="index">The indices, [rows, k].</param>
    /// <param name="g">The values to add, [rows, k].</param>
    /// <param name="y">The sums, [rows, n].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="n">The length of y's rows.</param>
    /// <param name="k">The number of indices per row.</param>
    public static void ScatterLast(ReadOnlySpan<float> index, ReadOnlySpan<float> g, Span<float> y, int rows, int n, int k)
    {
        CheckMatrix(index.Length, rows, k, nameof(index));
        CheckMatrix(g.Length, rows, k, nameof(g));
        CheckMatrix(y.Length, rows, n, nameof(y));
        y[..(rows * n)].Clear();
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < k; j++)
            {
                float at = index[(r * k) + j];
                if (at >= 0f && at < n)
                    y[(r * n) + (int)at] += g[(r * k) + j];
            }
        }
    }
}
