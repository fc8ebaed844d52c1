using System;

namespace Dsl.Kernels;

// The first maximum of each row (torch.argmax; a NaN counts as the largest, as Accuracy's): the
// kernels under Max, Min, ArgMax and LogSumExp over an axis, which the compiler moves last.
public static unsafe partial class Rows
{
    /// <summary>index[r] = the column of the first largest value of row r, as a float.</summary>
    /// <param name="x">The rows, [rows, cols].</param>
    /// <param name="index">The indices, [rows].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length, 1 or more.</param>
    public static void ArgMax(ReadOnlySpan<float> x, Span<float> index, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckVector(index.Length, rows, nameof(index));
        for (int r = 0; r < rows; r++)
            index[r] = FirstMaximum(x.Slice(r * cols, cols));
    }

    /// <summary>y[r, :] = 1 at the first largest value of row r, 0 elsewhere.</summary>
    /// <param name="x">The rows, [rows, cols].</param>
    /// <param name="y">The masks, [rows, cols].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length, 1 or more.</param>
    public static void ArgMaxMask(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckMatrix(y.Length, rows, cols, nameof(y));
        Span<float> matrix = y[..(rows * cols)];
        matrix.Clear();
        for (int r = 0; r < rows; r++)
            matrix[r * cols + FirstMaximum(x.Slice(r * cols, cols))] = 1f;
    }

    // The same scan as the OpenCL kernels': stop at a NaN, else move to a strictly larger value.
    private static int FirstMaximum(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length && !float.IsNaN(row[best]); c++)
        {
            if (row[c] > row[best] || float.IsNaN(row[c]))
                best = c;
        }
        return best;
    }
}
