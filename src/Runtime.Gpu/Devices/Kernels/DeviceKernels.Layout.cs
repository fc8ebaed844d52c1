using System;

namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>y[o, j, m, i, n] = x[o, i, m, j, n]: a transpose of x viewed as [outer, a, middle, b, inner] (<c>Movement.SwapAxes</c>).</summary>
    /// <param name="outer">The product of the axes before the first swapped one.</param>
    /// <param name="a">The first swapped axis.</param>
    /// <param name="middle">The product of the axes between the swapped ones.</param>
    /// <param name="b">The second swapped axis.</param>
    /// <param name="inner">The product of the axes after the second swapped one.</param>
    /// <param name="x">The input, outer·a·middle·b·inner floats.</param>
    /// <param name="y">The output, as many floats.</param>
    public void SwapAxes(int outer, int a, int middle, int b, int inner, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(outer, nameof(outer));
        CheckSize(a, nameof(a));
        CheckSize(middle, nameof(middle));
        CheckSize(b, nameof(b));
        CheckSize(inner, nameof(inner));
        long count = (long)outer * a * middle * b * inner;
        CheckFloats(x, count, nameof(x));
        CheckFloats(y, count, nameof(y));
        SwapAxesCore(outer, a, middle, b, inner, x, y);
    }

    /// <summary>
    /// Block k &lt; blocks of width floats from x[(k mod sourceBlocks)·sourceStride + sourceOffset] to
    /// y[k·destinationStride + destinationOffset]: concat parts, split slices, reshapes (<c>Movement.CopyBlocks</c>).
    /// </summary>
    /// <param name="blocks">The number of blocks written.</param>
    /// <param name="sourceBlocks">The number of distinct source blocks (blocks, or fewer that repeat); at least 1 when blocks is.</param>
    /// <param name="width">The floats per block.</param>
    /// <param name="sourceStride">The distance between source blocks.</param>
    /// <param name="sourceOffset">Where the first source block starts, from x.</param>
    /// <param name="destinationStride">The distance between destination blocks.</param>
    /// <param name="destinationOffset">Where the first destination block starts, from y.</param>
    /// <param name="x">The source.</param>
    /// <param name="y">The destination.</param>
    public void CopyBlocks(
        int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset,
        DeviceSlice x, DeviceSlice y)
    {
        CheckSize(blocks, nameof(blocks));
        CheckSize(sourceBlocks, nameof(sourceBlocks));
        CheckSize(width, nameof(width));
        CheckSize(sourceStride, nameof(sourceStride));
        CheckSize(sourceOffset, nameof(sourceOffset));
        CheckSize(destinationStride, nameof(destinationStride));
        CheckSize(destinationOffset, nameof(destinationOffset));
        if (blocks > 0 && sourceBlocks == 0)
            throw new ArgumentOutOfRangeException(nameof(sourceBlocks), $"Copying {blocks} blocks needs at least one source block.");
        bool empty = blocks == 0;
        CheckFloats(x, empty ? 0 : ((long)(Math.Min(blocks, sourceBlocks) - 1) * sourceStride) + sourceOffset + width, nameof(x));
        CheckFloats(y, empty ? 0 : ((long)(blocks - 1) * destinationStride) + destinationOffset + width, nameof(y));
        CopyBlocksCore(blocks, sourceBlocks, width, sourceStride, sourceOffset, destinationStride, destinationOffset, x, y);
    }

    /// <summary>y[i, j] = 1 where j ≤ i, else 0: the [n, n] causal mask (<c>Movement.CausalMask</c>).</summary>
    /// <param name="n">The sequence length.</param>
    /// <param name="y">The mask, n·n floats.</param>
    public void CausalMask(int n, DeviceSlice y)
    {
        CheckSize(n, nameof(n));
        CheckFloats(y, (long)n * n, nameof(y));
        CausalMaskCore(n, y);
    }

    /// <summary>
    /// y[e, h, t, j] = x[e, t, (part·heads + h)·headWidth + j]: part <paramref name="part"/> of a fused
    /// projection [batch, length, parts·heads·headWidth] cut into heads [batch, heads, length, headWidth] (<c>Sequences.SplitHeads</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="length">The sequence length.</param>
    /// <param name="heads">The number of heads.</param>
    /// <param name="headWidth">The floats per head and position.</param>
    /// <param name="part">Which part, in [0, parts).</param>
    /// <param name="parts">How many parts the rows hold (3 for a fused Q, K, V projection).</param>
    /// <param name="x">The rows, batch·length·parts·heads·headWidth floats.</param>
    /// <param name="y">The heads, batch·heads·length·headWidth floats.</param>
    public void SplitHeads(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y)
    {
        long headsSize = CheckHeads(batch, length, heads, headWidth, part, parts);
        CheckFloats(x, headsSize * parts, nameof(x));
        CheckFloats(y, headsSize, nameof(y));
        SplitHeadsCore(batch, length, heads, headWidth, part, parts, x, y);
    }

    /// <summary>
    /// y[e, t, (part·heads + h)·headWidth + j] = x[e, h, t, j], and zero in the rows' other parts: the
    /// inverse of <see cref="SplitHeads"/> (<c>Sequences.MergeHeads</c>).
    /// </summary>
    /// <param name="batch">The number of examples.</param>
    /// <param name="length">The sequence length.</param>
    /// <param name="heads">The number of heads.</param>
    /// <param name="headWidth">The floats per head and position.</param>
    /// <param name="part">Which part, in [0, parts).</param>
    /// <param name="parts">How many parts the rows hold.</param>
    /// <param name="x">The heads, batch·heads·length·headWidth floats.</param>
    /// <param name="y">The rows, batch·length·parts·heads·headWidth floats.</param>
    public void MergeHeads(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y)
    {
        long headsSize = CheckHeads(batch, length, heads, headWidth, part, parts);
        CheckFloats(x, headsSize, nameof(x));
        CheckFloats(y, headsSize * parts, nameof(y));
        MergeHeadsCore(batch, length, heads, headWidth, part, parts, x, y);
    }

    /// <summary>y[r, :] = table[ids[r], :]: an embedding's lookup (<c>Sequences.Gather</c>).</summary>
    /// <param name="rows">The number of ids.</param>
    /// <param name="cols">The row width.</param>
    /// <param name="count">The table's rows; ids lie in [0, count).</param>
    /// <param name="table">The table, count·cols floats.</param>
    /// <param name="ids">The ids, rows ints.</param>
    /// <param name="y">The rows, rows·cols floats.</param>
    public void Gather(int rows, int cols, int count, DeviceSlice table, DeviceSlice ids, DeviceSlice y)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckSize(count, nameof(count));
        CheckFloats(table, (long)count * cols, nameof(table));
        CheckInts(ids, rows, nameof(ids));
        CheckFloats(y, (long)rows * cols, nameof(y));
        GatherCore(rows, cols, count, table, ids, y);
    }

    /// <summary>table[c, :] = Σ x[r, :] over the rows r with ids[r] = c, zero elsewhere: an embedding's gradient (<c>Sequences.ScatterAdd</c>).</summary>
    /// <param name="rows">The number of ids.</param>
    /// <param name="cols">The row width.</param>
    /// <param name="count">The table's rows.</param>
    /// <param name="ids">The ids, rows ints.</param>
    /// <param name="x">The rows, rows·cols floats.</param>
    /// <param name="table">The table, count·cols floats (overwritten).</param>
    public void ScatterAdd(int rows, int cols, int count, DeviceSlice ids, DeviceSlice x, DeviceSlice table)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckSize(count, nameof(count));
        CheckInts(ids, rows, nameof(ids));
        CheckFloats(x, (long)rows * cols, nameof(x));
        CheckFloats(table, (long)count * cols, nameof(table));
        ScatterAddCore(rows, cols, count, ids, x, table);
    }

    /// <summary>Computes <see cref="SwapAxes"/> on validated operands.</summary>
    protected abstract void SwapAxesCore(int outer, int a, int middle, int b, int inner, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="CopyBlocks"/> on validated operands.</summary>
    protected abstract void CopyBlocksCore(
        int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset,
        DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="CausalMask"/> on a validated operand.</summary>
    protected abstract void CausalMaskCore(int n, DeviceSlice y);

    /// <summary>Computes <see cref="SplitHeads"/> on validated operands.</summary>
    protected abstract void SplitHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="MergeHeads"/> on validated operands.</summary>
    protected abstract void MergeHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="Gather"/> on validated operands.</summary>
    protected abstract void GatherCore(int rows, int cols, int count, DeviceSlice table, DeviceSlice ids, DeviceSlice y);

    /// <summary>Computes <see cref="ScatterAdd"/> on validated operands.</summary>
    protected abstract void ScatterAddCore(int rows, int cols, int count, DeviceSlice ids, DeviceSlice x, DeviceSlice table);

    /// <summary>Checks the head sizes and returns the heads' element count.</summary>
    private static long CheckHeads(int batch, int length, int heads, int headWidth, int part, int parts)
    {
        CheckSize(batch, nameof(batch));
        CheckSize(length, nameof(length));
        CheckSize(heads, nameof(heads));
        CheckSize(headWidth, nameof(headWidth));
        CheckSize(part, nameof(part));
        if (part >= parts)
            throw new ArgumentOutOfRangeException(nameof(part), part, $"Part {part} is not one of the rows' {parts} parts.");
        return (long)batch * length * heads * headWidth;
    }
}
