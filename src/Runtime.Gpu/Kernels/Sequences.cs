using System;

namespace Dsl.Kernels;

/// <summary>
/// The axis kernels of sequence models, over row-major values: repeating each element along a
/// new last axis (how a per-position value meets its row) and tiling a vector over rows (how a
/// Dense bias meets a sequence). Their transposes are <see cref="Rows.Sum"/> (over each row) and
/// <see cref="Rows.ColumnSum"/> (over the rows).
/// </summary>
/// <remarks>Inputs may be longer than the counts say (buffers sized for the largest batch); the extra elements are ignored.</remarks>
public static class Sequences
{
    /// <summary>y[r, j] = x[r] for j in [0, cols): each element repeated <paramref name="cols"/> times.</summary>
    /// <param name="x">The values, [rows].</param>
    /// <param name="y">The result, [rows, cols].</param>
    /// <param name="rows">The number of elements of <paramref name="x"/> to repeat.</param>
    /// <param name="cols">The length of the new last axis.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void ExpandLast(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        Check(x.Length, rows, nameof(x));
        Check(y.Length, rows * cols, nameof(y));
        for (int r = 0; r < rows; r++)
            y.Slice(r * cols, cols).Fill(x[r]);
    }

    /// <summary>y[r, :] = x[:] for r in [0, rows): the vector copied into every row.</summary>
    /// <param name="x">The vector, [cols].</param>
    /// <param name="y">The result, [rows, cols].</param>
    /// <param name="rows">The number of copies.</param>
    /// <param name="cols">The length of the vector.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void Tile(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        Check(x.Length, cols, nameof(x));
        Check(y.Length, rows * cols, nameof(y));
        ReadOnlySpan<float> row = x[..cols];
        for (int r = 0; r < rows; r++)
            row.CopyTo(y.Slice(r * cols, cols));
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; {needed} are needed.", name);
    }
}
