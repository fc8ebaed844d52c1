using System;
using System.Buffers;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// A view of some examples of another dataset, by index, without copying them: what
/// <see cref="Dataset.Split"/> and <see cref="Dataset.Take"/> return.
/// </summary>
/// <remarks>
/// Messages still name where each example came from: <see cref="DescribeExample"/> asks the
/// underlying dataset about the underlying index (<c>digits.csv line 19</c>).
/// </remarks>
public sealed class Subset : Dataset
{
    private readonly Dataset _source;
    private readonly int[] _indices;

    /// <summary>Creates a view of examples <paramref name="indices"/> of <paramref name="source"/>.</summary>
    /// <param name="source">The underlying dataset.</param>
    /// <param name="indices">The underlying index of each example of the view, in order (copied; repeats allowed).</param>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside <paramref name="source"/>.</exception>
    public Subset(Dataset source, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = source.Count;
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Example index {index} is outside the {count} examples of {source.Source}.");
        }

        // A view of a view reads straight from the innermost dataset: one index lookup per example.
        if (source is Subset inner)
        {
            int[] composed = new int[indices.Length];
            for (int i = 0; i < composed.Length; i++)
                composed[i] = inner._indices[indices[i]];
            _source = inner._source;
            _indices = composed;
        }
        else
        {
            _source = source;
            _indices = indices.ToArray();
        }
    }

    /// <summary>The dataset the examples are read from.</summary>
    public Dataset Underlying => _source;

    /// <summary>The underlying index of each example of the view.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <inheritdoc/>
    public override int Count => _indices.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<ColumnInfo> Columns => _source.Columns;

    /// <inheritdoc/>
    public override string Source => _source.Source;

    /// <inheritdoc/>
    public override string DescribeExample(int index)
    {
        if ((uint)index >= (uint)_indices.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The subset has {_indices.Length} examples.");
        return _source.DescribeExample(_indices[index]);
    }

    /// <inheritdoc/>
    public override void Fill(ReadOnlySpan<int> indices, Batch batch)
    {
        CheckFill(indices, batch);
        // A pooled scratch array keeps Fill allocation-free once warm and safe on several threads.
        int[] mapped = ArrayPool<int>.Shared.Rent(Math.Max(indices.Length, 1));
        try
        {
            for (int i = 0; i < indices.Length; i++)
                mapped[i] = _indices[indices[i]];
            _source.Fill(mapped.AsSpan(0, indices.Length), batch);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(mapped);
        }

        // The batch reports indices of this view, not of the underlying dataset.
        batch.SetExamples(indices);
    }
}
