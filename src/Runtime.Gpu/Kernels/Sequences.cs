using System;

namespace Dsl.Kernels;

/// <summary>
/// The axis kernels of sequence models, over row-major values: repeating each element along a
/// new last axis (how a per-position value meets its row) and tiling a vector over rows (how a
/// Dense bias meets a sequence), whose transposes are <see cref="Rows.Sum"/> (over each row) and
/// <see cref="Rows.ColumnSum"/> (over the rows); an embedding's lookup and its transpose; and
/// attention's head movement, <see cref="SplitHeads"/> and its transpose <see cref="MergeHeads"/>.
/// </summary>
/// <remarks>
/// Inputs may be longer than the counts say (buffers sized for the largest batch); the extra
/// elements are ignored. Large calls are split across cores with <see cref="CpuParallel"/>: over
/// rows, or for <see cref="ScatterAdd"/> over columns so no two threads add into one element;
/// every element is computed the same way whatever the split.
/// </remarks>
public static unsafe partial class Sequences
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
        fixed (float* px = x, py = y)
            RowSplit.Run(new ExpandLastRows { X = px, Y = py, Cols = cols }, rows, cols);
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
        fixed (float* px = x, py = y)
            RowSplit.Run(new TileRows { X = px, Y = py, Cols = cols }, rows, cols);
    }

    /// <summary>y[r, :] = table[ids[r], :]: an embedding's lookup.</summary>
    /// <param name="table">The table, [count, cols].</param>
    /// <param name="ids">The row of each output, [rows], each in [0, count).</param>
    /// <param name="y">The result, [rows, cols].</param>
    /// <param name="rows">The number of ids.</param>
    /// <param name="cols">The length of a table row.</param>
    /// <param name="count">The number of table rows.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, count); the message names it and its position.</exception>
    public static void Gather(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, Span<float> y, int rows, int cols, int count)
    {
        Check(table.Length, count * cols, nameof(table));
        Check(ids.Length, rows, nameof(ids));
        Check(y.Length, rows * cols, nameof(y));
        CheckIds(ids, rows, count);
        fixed (float* pt = table, py = y)
        fixed (int* pi = ids)
            RowSplit.Run(new GatherRows { Table = pt, Ids = pi, Y = py, Cols = cols }, rows, cols);
    }

    /// <summary>
    /// table[c, :] = Σ x[r, :] over the rows r with ids[r] = c (zero for ids that never occur):
    /// the gradient of <see cref="Gather"/> with respect to the table, summed in row order.
    /// </summary>
    /// <param name="ids">The row each input row adds into, [rows].</param>
    /// <param name="x">The rows to add, [rows, cols].</param>
    /// <param name="table">The result, [count, cols]; overwritten.</param>
    /// <param name="rows">The number of rows to add.</param>
    /// <param name="cols">The length of a row.</param>
    /// <param name="count">The number of table rows.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, count); the message names it and its position.</exception>
    public static void ScatterAdd(ReadOnlySpan<int> ids, ReadOnlySpan<float> x, Span<float> table, int rows, int cols, int count)
    {
        Check(ids.Length, rows, nameof(ids));
        Check(x.Length, rows * cols, nameof(x));
        Check(table.Length, count * cols, nameof(table));
        CheckIds(ids, rows, count);
        fixed (float* px = x, pt = table)
        fixed (int* pi = ids)
        {
            // Split over blocks of columns: each thread owns whole columns of the table, so every
            // element is cleared and summed by one thread, in row order.
            var kernel = new ScatterAddColumns { Ids = pi, X = px, Table = pt, Rows = rows, Cols = cols, Count = count };
            RowSplit.Run(kernel, (cols + ScatterAddColumns.Block - 1) / ScatterAddColumns.Block, (long)(rows + count) * ScatterAddColumns.Block);
        }
    }

    /// <summary>
    /// y[e, h, t, :] = x[e, t, (part·heads + h)·dh ..][..dh]: the heads of one part of a fused
    /// projection [T, parts·heads·dh], per example, as [heads, T, dh] (attention's q, k or v).
    /// </summary>
    /// <param name="x">The projections, [batch, T, parts·heads·dh].</param>
    /// <param name="y">The heads, [batch, heads, T, dh].</param>
    /// <param name="batch">Examples.</param>
    /// <param name="length">T, positions per example.</param>
    /// <param name="heads">Heads per part.</param>
    /// <param name="headWidth">dh, the width of a head.</param>
    /// <param name="part">Which part to read, in [0, parts).</param>
    /// <param name="parts">Parts side by side in a row of <paramref name="x"/> (3 for q, k, v).</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void SplitHeads(ReadOnlySpan<float> x, Span<float> y, int batch, int length, int heads, int headWidth, int part, int parts)
    {
        int width = parts * heads * headWidth, size = heads * length * headWidth;
        CheckPart(part, parts);
        Check(x.Length, batch * length * width, nameof(x));
        Check(y.Length, batch * size, nameof(y));
        fixed (float* px = x, py = y)
        {
            var kernel = new SplitHeadsRows { X = px, Y = py, Length = length, Heads = heads, HeadWidth = headWidth, Part = part, Parts = parts };
            RowSplit.Run(kernel, batch * length, (long)heads * headWidth);
        }
    }

    /// <summary>
    /// y[e, t, (part·heads + h)·dh ..][..dh] = x[e, h, t, :], zero in the other parts: heads laid
    /// side by side again. The transpose of <see cref="SplitHeads"/>.
    /// </summary>
    /// <param name="x">The heads, [batch, heads, T, dh].</param>
    /// <param name="y">The rows, [batch, T, parts·heads·dh].</param>
    /// <param name="batch">Examples.</param>
    /// <param name="length">T, positions per example.</param>
    /// <param name="heads">Heads per part.</param>
    /// <param name="headWidth">dh, the width of a head.</param>
    /// <param name="part">Which part to write, in [0, parts).</param>
    /// <param name="parts">Parts side by side in a row of <paramref name="y"/>.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need.</exception>
    public static void MergeHeads(ReadOnlySpan<float> x, Span<float> y, int batch, int length, int heads, int headWidth, int part, int parts)
    {
        int width = parts * heads * headWidth, size = heads * length * headWidth;
        CheckPart(part, parts);
        Check(x.Length, batch * size, nameof(x));
        Check(y.Length, batch * length * width, nameof(y));
        fixed (float* px = x, py = y)
        {
            var kernel = new MergeHeadsRows { X = px, Y = py, Length = length, Heads = heads, HeadWidth = headWidth, Part = part, Parts = parts };
            RowSplit.Run(kernel, batch * length, width);
        }
    }

    /// <summary>Checks every id before any thread starts, so the first bad one is the one reported.</summary>
    private static void CheckIds(ReadOnlySpan<int> ids, int rows, int count)
    {
        for (int r = 0; r < rows; r++)
        {
            int id = ids[r];
            if ((uint)id >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} at row {r} is outside the table of {count} rows.");
        }
    }

    private static void CheckPart(int part, int parts)
    {
        if ((uint)part >= (uint)parts)
            throw new ArgumentOutOfRangeException(nameof(part), part, $"Part {part} is outside the {parts} parts of a row.");
    }

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; {needed} are needed.", name);
    }
}
