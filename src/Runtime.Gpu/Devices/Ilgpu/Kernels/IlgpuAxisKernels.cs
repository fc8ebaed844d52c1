using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The kernels of reductions and gathers along the last axis (<c>Rows.ArgMax</c>, <c>Rows.Gather</c>)
/// as ILGPU kernels, one thread per row or per output element, with the CPU's scan orders so
/// results match it bit for bit. Every view already starts at its operand's offset.
/// </summary>
internal static class IlgpuAxisKernels
{
    /// <summary>index[r] = the column of row r's first largest value, as a float (a NaN counts as the largest).</summary>
    public static void ArgMaxRows(int rows, ArrayView<float> x, ArrayView<float> index, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
            index[r] = FirstMaximum(x, r * cols, cols);
    }

    /// <summary>y[r, :] = 1 at row r's first largest value, 0 elsewhere.</summary>
    public static void ArgMaxMaskRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            int row = r * cols, best = FirstMaximum(x, row, cols);
            for (int c = 0; c < cols; c++)
                y[row + c] = c == best ? 1f : 0f;
        }
    }

    /// <summary>y[r, j] = x[r, index[r, j]], NaN where the index is outside [0, n); one thread per (r, j).</summary>
    public static void GatherLast(int count, ArrayView<float> x, ArrayView<float> index, ArrayView<float> y, int n, int k)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
        {
            float at = index[i];
            int row = i / k;
            y[i] = at >= 0f && at < n ? x[(row * n) + (int)at] : float.NaN;
        }
    }

    /// <summary>
    /// y[r, c] = Σ g[r, j] over the j with index[r, j] = c, one thread per (r, c) adding in j's
    /// order: deterministic without atomics, and the CPU's order of additions.
    /// </summary>
    public static void ScatterLast(int count, ArrayView<float> index, ArrayView<float> g, ArrayView<float> y, int n, int k)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
        {
            int row = i / n, column = i - (row * n);
            float sum = 0f;
            for (int j = 0; j < k; j++)
            {
                float at = index[(row * k) + j];
                if (at >= 0f && at < n && (int)at == column)
                    sum += g[(row * k) + j];
            }

            y[i] = sum;
        }
    }

    // The CPU's scan: stop at a NaN, else move to a strictly larger value.
    private static int FirstMaximum(ArrayView<float> x, int row, int cols)
    {
        int best = 0;
        for (int c = 1; c < cols && !float.IsNaN(x[row + best]); c++)
        {
            float value = x[row + c];
            if (value > x[row + best] || float.IsNaN(value))
                best = c;
        }

        return best;
    }
}
