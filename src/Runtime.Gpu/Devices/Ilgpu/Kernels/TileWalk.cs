namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// A thread's share of a flat range staged into shared memory: q = start, start + step, … read
/// as (row q / width, column q % width), the divisions done once, where the walk is set up, and
/// none per element. The staging loops of the tiled kernels divided by the tile (a kernel
/// argument) for every element: on a GPU an integer division is a sequence of some twenty
/// instructions, more than the element's share of the multiply-adds it feeds.
/// </summary>
/// <param name="start">The thread's first flat index.</param>
/// <param name="step">The flat distance between the thread's elements (the group's threads).</param>
/// <param name="width">The columns of a row.</param>
internal readonly struct TileWalk(int start, int step, int width)
{
    /// <summary>The row of the thread's first element.</summary>
    public readonly int Row = start / width;

    /// <summary>The column of the thread's first element.</summary>
    public readonly int Column = start % width;

    private readonly int _rows = step / width, _columns = step % width, _width = width;

    /// <summary>Moves (<paramref name="row"/>, <paramref name="column"/>) on by one step.</summary>
    public void Next(ref int row, ref int column)
    {
        row += _rows;
        column += _columns;
        if (column >= _width)
        {
            column -= _width;
            row++;
        }
    }
}
