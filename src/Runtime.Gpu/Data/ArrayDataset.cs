using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// A dataset over in-memory arrays, one per column, each holding all examples back to back
/// (example <c>i</c> of a column of example size <c>s</c> at <c>[i * s, (i + 1) * s)</c>).
/// </summary>
/// <remarks>The arrays are used as given, not copied: writing to them later changes the data.</remarks>
public sealed class ArrayDataset : Dataset
{
    private readonly ColumnInfo[] _columns;
    private readonly Array[] _values;

    /// <summary>Creates a dataset from (column, values) pairs; the source is named <c>in-memory arrays</c>.</summary>
    /// <param name="columns">Each column with its values: a <see cref="float"/>[] for Float32, an <see cref="int"/>[] for Int32.</param>
    /// <exception cref="ArgumentException">No columns, a repeated name, values of the wrong type, a length that is not a whole number of examples, or columns with different example counts.</exception>
    public ArrayDataset(params (ColumnInfo Column, Array Values)[] columns)
        : this("in-memory arrays", columns)
    {
    }

    /// <summary>Creates a dataset from (column, values) pairs with a source name for messages.</summary>
    /// <param name="source">What <see cref="Source"/> says (a file name, <c>in-memory arrays</c>).</param>
    /// <param name="columns">Each column with its values: a <see cref="float"/>[] for Float32, an <see cref="int"/>[] for Int32.</param>
    /// <exception cref="ArgumentException">No columns, a repeated name, values of the wrong type, a length that is not a whole number of examples, or columns with different example counts.</exception>
    public ArrayDataset(string source, params (ColumnInfo Column, Array Values)[] columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
            throw new ArgumentException("A dataset needs at least one column.", nameof(columns));

        _columns = new ColumnInfo[columns.Length];
        _values = new Array[columns.Length];
        int[] counts = new int[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            (ColumnInfo column, Array values) = columns[c];
            ArgumentNullException.ThrowIfNull(column, $"{nameof(columns)}[{c}].Column");
            ArgumentNullException.ThrowIfNull(values, $"{nameof(columns)}[{c}].Values");
            for (int d = 0; d < c; d++)
            {
                if (string.Equals(_columns[d].Name, column.Name, StringComparison.Ordinal))
                    throw new ArgumentException($"Column '{column.Name}' is given more than once.", nameof(columns));
            }

            // Exact types: the CLR would let a uint[] pass "is int[]".
            bool typeMatches = values.GetType() == (column.Type == ColumnType.Float32 ? typeof(float[]) : typeof(int[]));
            if (!typeMatches)
                throw new ArgumentException($"Column '{column.Name}' is {column.Type} but its values are {values.GetType().Name}; give a {(column.Type == ColumnType.Float32 ? "float[]" : "int[]")}.", nameof(columns));
            if (values.Length % column.ExampleSize != 0)
                throw new ArgumentException($"Column '{column.Name}' holds {values.Length} values, not a whole number of {column.ExampleSize}-value examples.", nameof(columns));
            _columns[c] = column;
            _values[c] = values;
            counts[c] = values.Length / column.ExampleSize;
        }

        if (counts.Any(count => count != counts[0]))
        {
            string listed = string.Join(", ", _columns.Select((column, c) => $"'{column.Name}' {counts[c]}"));
            throw new ArgumentException($"The columns hold different numbers of examples: {listed}.", nameof(columns));
        }

        Count = counts[0];
        Source = source;
    }

    /// <summary>
    /// A classification dataset: column <paramref name="featureName"/> (Float32,
    /// [<paramref name="featureCount"/>]) and column <paramref name="labelName"/> (Int32, scalar).
    /// </summary>
    /// <param name="features">The features, row-major: example <c>i</c> at <c>[i * featureCount, (i + 1) * featureCount)</c>.</param>
    /// <param name="featureCount">The features per example.</param>
    /// <param name="labels">One label per example.</param>
    /// <param name="featureName">The feature column's name.</param>
    /// <param name="labelName">The label column's name.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">The features do not make <c>labels.Length</c> rows of <paramref name="featureCount"/>.</exception>
    public static ArrayDataset FromFeatures(float[] features, int featureCount, int[] labels, string featureName = "x", string labelName = "y")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if ((long)labels.Length * featureCount != features.Length)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * featureCount} features ({featureCount} each), but {features.Length} are given.", nameof(features));
        return new ArrayDataset(
            (new ColumnInfo(featureName, ColumnType.Float32, [featureCount]), features),
            (new ColumnInfo(labelName, ColumnType.Int32, []), labels));
    }

    /// <inheritdoc/>
    public override int Count { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<ColumnInfo> Columns => _columns;

    /// <inheritdoc/>
    public override string Source { get; }

    /// <summary>The values of column <paramref name="column"/>, all examples back to back.</summary>
    /// <param name="column">The column's index.</param>
    /// <returns>The array the dataset reads (a <see cref="float"/>[] or an <see cref="int"/>[]).</returns>
    public Array Values(int column) => _values[column];

    /// <inheritdoc/>
    public override void Fill(ReadOnlySpan<int> indices, Batch batch)
    {
        CheckFill(indices, batch);
        for (int c = 0; c < _columns.Length; c++)
        {
            int size = _columns[c].ExampleSize;
            if (_columns[c].Type == ColumnType.Float32)
                Gather.Examples<float>((float[])_values[c], size, indices, batch.FloatBuffer(c));
            else
                Gather.Examples<int>((int[])_values[c], size, indices, batch.IntBuffer(c));
        }

        batch.SetExamples(indices);
    }
}
