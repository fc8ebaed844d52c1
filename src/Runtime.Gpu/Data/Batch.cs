using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// A batch of examples, one buffer per column in the order of the dataset's
/// <see cref="Dataset.Columns"/>. Loaders reuse one batch for a whole epoch, so its contents are
/// valid only until the loader moves to the next batch.
/// </summary>
/// <remarks>
/// Each column's buffer holds <see cref="Capacity"/> examples back to back, example <c>k</c> at
/// <c>[k * ExampleSize, (k + 1) * ExampleSize)</c>, which is the row-major <c>[batch, ...]</c>
/// layout a compiled step reads. Reading and filling allocate nothing.
/// </remarks>
public sealed class Batch
{
    private readonly ColumnInfo[] _columns;
    private readonly float[]?[] _floats;
    private readonly int[]?[] _ints;
    private readonly int[] _exampleIndices;

    /// <summary>Allocates buffers for <paramref name="capacity"/> examples of every column.</summary>
    /// <param name="columns">The columns, in the dataset's order.</param>
    /// <param name="capacity">The most examples the batch holds (the loader's batch size).</param>
    /// <exception cref="ArgumentException">A column is null, or a buffer would exceed the largest array.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public Batch(IReadOnlyList<ColumnInfo> columns, int capacity)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _columns = new ColumnInfo[columns.Count];
        _floats = new float[columns.Count][];
        _ints = new int[columns.Count][];
        for (int c = 0; c < columns.Count; c++)
        {
            ColumnInfo column = columns[c] ?? throw new ArgumentException($"Column {c} is null.", nameof(columns));
            long length = (long)capacity * column.ExampleSize;
            if (length > Array.MaxLength)
                throw new ArgumentException($"A batch of {capacity} examples of column {c} '{column.Name}' ({column.ExampleSize} values each) exceeds the largest array.", nameof(capacity));
            _columns[c] = column;
            if (column.Type == ColumnType.Float32)
                _floats[c] = new float[length];
            else
                _ints[c] = new int[length];
        }

        _exampleIndices = new int[capacity];
        Capacity = capacity;
    }

    /// <summary>The columns, in the dataset's order.</summary>
    public IReadOnlyList<ColumnInfo> Columns => _columns;

    /// <summary>The most examples the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>The number of examples currently in the batch (the last batch of an epoch may be short).</summary>
    public int Count { get; private set; }

    /// <summary>The dataset index of each example in the batch, <see cref="Count"/> long.</summary>
    public ReadOnlySpan<int> ExampleIndices => _exampleIndices.AsSpan(0, Count);

    /// <summary>Returns the index of the column called <paramref name="name"/>, or -1.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>The column's index in <see cref="Columns"/>, or -1 when there is none.</returns>
    public int IndexOf(string name)
    {
        for (int c = 0; c < _columns.Length; c++)
        {
            if (string.Equals(_columns[c].Name, name, StringComparison.Ordinal))
                return c;
        }

        return -1;
    }

    /// <summary>The <see cref="Count"/> examples' values of a <see cref="ColumnType.Float32"/> column.</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <param name="consumer">Who reads the values, for the message if the type is wrong (<c>TrainingStep input 'x'</c>).</param>
    /// <returns><c>Count * ExampleSize</c> values.</returns>
    /// <exception cref="InvalidOperationException">The column holds Int32 values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not a column index.</exception>
    public ReadOnlySpan<float> Floats(int column, string? consumer = null)
    {
        float[] buffer = _floats[Check(column)] ?? throw WrongType(column, ColumnType.Float32, consumer);
        return buffer.AsSpan(0, Count * _columns[column].ExampleSize);
    }

    /// <summary>The <see cref="Count"/> examples' values of an <see cref="ColumnType.Int32"/> column.</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <param name="consumer">Who reads the values, for the message if the type is wrong (<c>TrainingStep input 'y'</c>).</param>
    /// <returns><c>Count * ExampleSize</c> values.</returns>
    /// <exception cref="InvalidOperationException">The column holds Float32 values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not a column index.</exception>
    public ReadOnlySpan<int> Ints(int column, string? consumer = null)
    {
        int[] buffer = _ints[Check(column)] ?? throw WrongType(column, ColumnType.Int32, consumer);
        return buffer.AsSpan(0, Count * _columns[column].ExampleSize);
    }

    /// <summary>The whole writable buffer of a Float32 column (<c>Capacity * ExampleSize</c> values), for datasets filling the batch.</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <returns>The buffer.</returns>
    /// <exception cref="InvalidOperationException">The column holds Int32 values.</exception>
    public Span<float> FloatBuffer(int column) =>
        _floats[Check(column)] ?? throw WrongType(column, ColumnType.Float32, consumer: null);

    /// <summary>The whole writable buffer of an Int32 column (<c>Capacity * ExampleSize</c> values), for datasets filling the batch.</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <returns>The buffer.</returns>
    /// <exception cref="InvalidOperationException">The column holds Float32 values.</exception>
    public Span<int> IntBuffer(int column) =>
        _ints[Check(column)] ?? throw WrongType(column, ColumnType.Int32, consumer: null);

    /// <summary>Sets <see cref="Count"/> and <see cref="ExampleIndices"/> after the buffers' first slots are filled.</summary>
    /// <param name="datasetIndices">The dataset index of each example written, in slot order.</param>
    /// <exception cref="ArgumentException">More indices than <see cref="Capacity"/>.</exception>
    public void SetExamples(ReadOnlySpan<int> datasetIndices)
    {
        if (datasetIndices.Length > Capacity)
            throw new ArgumentException($"{datasetIndices.Length} examples do not fit in a batch of capacity {Capacity}.", nameof(datasetIndices));
        datasetIndices.CopyTo(_exampleIndices);
        Count = datasetIndices.Length;
    }

    private int Check(int column)
    {
        if ((uint)column >= (uint)_columns.Length)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The batch has {_columns.Length} columns.");
        return column;
    }

    private InvalidOperationException WrongType(int column, ColumnType wanted, string? consumer)
    {
        ColumnInfo info = _columns[column];
        return new InvalidOperationException(consumer is null
            ? $"Batch column {column} '{info.Name}' holds {info.Type} values, not {wanted}."
            : $"{consumer} takes {wanted} values but batch column {column} '{info.Name}' holds {info.Type}.");
    }
}
