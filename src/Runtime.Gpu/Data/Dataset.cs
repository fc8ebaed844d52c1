using System;
using System.Collections.Generic;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// A fixed, indexable collection of examples with named, typed columns, in the manner of
/// PyTorch's map-style <c>Dataset</c>: a <see cref="DataLoader"/> picks the indices and the
/// dataset copies those examples into a reusable <see cref="Batch"/>.
/// </summary>
public abstract class Dataset
{
    /// <summary>The number of examples.</summary>
    public abstract int Count { get; }

    /// <summary>The columns every example has, in batch order.</summary>
    public abstract IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>Where the data came from, for messages: a file name or <c>in-memory arrays</c>.</summary>
    public abstract string Source { get; }

    /// <summary>Where example <paramref name="index"/> came from, for messages: <c>digits.csv line 19</c>.</summary>
    /// <param name="index">The example's index in this dataset.</param>
    /// <returns>The description; by default <c>"&lt;Source&gt;, example &lt;index&gt;"</c>.</returns>
    public virtual string DescribeExample(int index) => $"{Source}, example {index}";

    /// <summary>
    /// Writes examples <paramref name="indices"/> into slots 0, 1, ... of <paramref name="batch"/>
    /// and calls <see cref="Batch.SetExamples"/> with them.
    /// </summary>
    /// <param name="indices">The examples to copy, in slot order; at most the batch's capacity.</param>
    /// <param name="batch">A batch made for this dataset's <see cref="Columns"/>.</param>
    public abstract void Fill(ReadOnlySpan<int> indices, Batch batch);

    /// <summary>Returns the index of the column called <paramref name="name"/>, or -1.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>The column's index in <see cref="Columns"/>, or -1 when there is none.</returns>
    public int IndexOf(string name)
    {
        IReadOnlyList<ColumnInfo> columns = Columns;
        for (int c = 0; c < columns.Count; c++)
        {
            if (string.Equals(columns[c].Name, name, StringComparison.Ordinal))
                return c;
        }

        return -1;
    }

    /// <summary>
    /// Splits the examples at random into two disjoint subsets, as PyTorch's
    /// <c>random_split</c>: a seeded permutation, its first <c>round(Count * firstFraction)</c>
    /// indices forming <c>First</c>. The same seed gives the same split on every machine.
    /// </summary>
    /// <param name="firstFraction">The share of examples in the first part, strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the permutation.</param>
    /// <returns>The two parts; each keeps its examples in ascending index order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">One of the parts would be empty.</exception>
    public (Dataset First, Dataset Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction of examples in the first part must be strictly between 0 and 1.");
        int count = Count;
        int firstCount = (int)Math.Round(count * firstFraction, MidpointRounding.AwayFromZero);
        if (firstCount < 1 || firstCount > count - 1)
            throw new ArgumentException($"Splitting the {count} examples of {Source} at {firstFraction} leaves {(firstCount < 1 ? "the first" : "the second")} part empty.", nameof(firstFraction));

        int[] order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        Permutation.Shuffle(order, unchecked((uint)seed), Permutation.SplitSite);

        // Sorting each part keeps the file's order within it, so reads stay mostly sequential and
        // an unshuffled loader over a part sees the examples as the file lists them.
        int[] first = order[..firstCount], second = order[firstCount..];
        Array.Sort(first);
        Array.Sort(second);
        return (new Subset(this, first), new Subset(this, second));
    }

    /// <summary>The contiguous run of examples <c>[start, start + count)</c>, without copying.</summary>
    /// <param name="start">The first example.</param>
    /// <param name="count">The number of examples.</param>
    /// <returns>A view of those examples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The run does not lie within the dataset.</exception>
    public Dataset Take(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Examples [{start}, {(long)start + count}) do not lie within the {Count} examples of {Source}.");
        int[] indices = new int[count];
        for (int i = 0; i < count; i++)
            indices[i] = start + i;
        return new Subset(this, indices);
    }

    /// <summary>
    /// Checks what <see cref="Fill"/> is given: a batch for these columns, no more indices than
    /// it holds, and every index within the dataset. Call it first in overrides of Fill.
    /// </summary>
    /// <param name="indices">The indices passed to Fill.</param>
    /// <param name="batch">The batch passed to Fill.</param>
    /// <exception cref="ArgumentException">The batch was made for other columns, or is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside the dataset.</exception>
    protected void CheckFill(ReadOnlySpan<int> indices, Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<ColumnInfo> mine = Columns, theirs = batch.Columns;
        if (!ReferenceEquals(mine, theirs))
        {
            bool same = mine.Count == theirs.Count;
            for (int c = 0; same && c < mine.Count; c++)
                same = mine[c].Equals(theirs[c]);
            if (!same)
                throw new ArgumentException($"The batch has columns ({string.Join(", ", theirs)}) but {Source} has ({string.Join(", ", mine)}).", nameof(batch));
        }

        if (indices.Length > batch.Capacity)
            throw new ArgumentException($"{indices.Length} examples do not fit in a batch of capacity {batch.Capacity}.", nameof(indices));
        int count = Count;
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Example index {index} is outside the {count} examples of {Source}.");
        }
    }
}
