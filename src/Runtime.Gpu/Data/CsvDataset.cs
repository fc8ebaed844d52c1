using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// A table of numbers read from a CSV file (<c>.csv</c> or gzip-compressed <c>.csv.gz</c>), one
/// example per line: the features become column <c>x</c> (Float32, [features]) and the label
/// field, if any, column <c>y</c> (Int32, scalar).
/// </summary>
/// <remarks>
/// Every field is checked at load, so bad data fails here, naming the file, line and column,
/// rather than as a NaN loss a thousand steps later. Blank lines are skipped; quoting is not
/// supported (a quoted number is reported as not a number).
/// </remarks>
public sealed class CsvDataset : Dataset
{
    private readonly ColumnInfo[] _columns;
    private readonly float[] _features;
    private readonly int[]? _labels;
    private readonly int[] _lines;
    private readonly string[]? _header;

    private CsvDataset(string path, ColumnInfo[] columns, float[] features, int[]? labels, int[] lines, string[]? header)
    {
        FilePath = path;
        Source = System.IO.Path.GetFileName(path);
        _columns = columns;
        _features = features;
        _labels = labels;
        _lines = lines;
        _header = header;
    }

    /// <summary>Reads a CSV file of numbers, checking every field.</summary>
    /// <param name="path">The file; gzip-compressed files are recognised by their first bytes.</param>
    /// <param name="options">How to read it; <see langword="null"/> for the defaults (no header, commas, label last).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException">There is no such file, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">
    /// The file holds no data rows, a line has a different number of fields than the first, a
    /// field holds a NUL character, a feature is not a finite number, or a label is not an
    /// integer in range; the message names the file, the 1-based line (counting the header) and
    /// the 1-based column. Or the file is over <see cref="CsvOptions.MaxBytes"/> or its gzip data
    /// is damaged; the message names the file and what is wrong.
    /// </exception>
    /// <exception cref="ArgumentException">The options are inconsistent (Classes below 1, or without a label column; a non-finite FeatureScale; a negative MaxBytes).</exception>
    public static CsvDataset Load(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        if (options.Classes is int classes && classes < 1)
            throw new ArgumentOutOfRangeException(nameof(options), classes, "CsvOptions.Classes must be at least 1.");
        if (options.Classes is not null && options.LabelColumn is null)
            throw new ArgumentException("CsvOptions.Classes is set but LabelColumn is null: there are no labels to check.", nameof(options));
        if (!float.IsFinite(options.FeatureScale))
            throw new ArgumentOutOfRangeException(nameof(options), options.FeatureScale, "CsvOptions.FeatureScale must be a finite number.");

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBytes);

        return DataFile.Parse(path, options.MaxBytes, stream =>
        {
            using var reader = new StreamReader(stream, leaveOpen: true);
            return Parse(path, reader, options);
        });
    }

    /// <summary>The full path the data was read from.</summary>
    public string FilePath { get; }

    /// <summary>The number of features per example (the size of column <c>x</c>).</summary>
    public int FeatureCount => _columns[0].ExampleSize;

    /// <summary>Whether the file had a label column (column <c>y</c>).</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The header's field names, when <see cref="CsvOptions.HasHeader"/> was set; else null.</summary>
    public IReadOnlyList<string>? Header => _header;

    /// <summary>All features, example by example, after <see cref="CsvOptions.FeatureScale"/>.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>All labels; empty when the file has none.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <inheritdoc/>
    public override int Count => _lines.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<ColumnInfo> Columns => _columns;

    /// <summary>The file's name (without directories), for messages.</summary>
    public override string Source { get; }

    /// <summary>The 1-based line of the file (counting the header) that example <paramref name="index"/> was read from.</summary>
    /// <param name="index">The example.</param>
    /// <returns>The line number.</returns>
    public int LineOf(int index) => _lines[index];

    /// <summary>Names the file and line of the example: <c>digits.csv.gz line 19</c>.</summary>
    /// <param name="index">The example.</param>
    /// <returns>The description.</returns>
    public override string DescribeExample(int index) => $"{Source} line {_lines[index]}";

    /// <inheritdoc/>
    public override void Fill(ReadOnlySpan<int> indices, Batch batch)
    {
        CheckFill(indices, batch);
        Gather.Examples<float>(_features, FeatureCount, indices, batch.FloatBuffer(0));
        if (_labels is not null)
            Gather.Examples<int>(_labels, 1, indices, batch.IntBuffer(1));
        batch.SetExamples(indices);
    }

    private static CsvDataset Parse(string path, StreamReader reader, CsvOptions options)
    {
        string file = System.IO.Path.GetFileName(path);
        char separator = options.Separator;
        float scale = options.FeatureScale;
        var features = new List<float>();
        var labels = new List<int>();
        var lines = new List<int>();
        string[]? header = null;
        int fieldCount = -1, firstLine = 0, labelIndex = -1, featureCount = 0, lineNumber = 0;

        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line.AsSpan();
            if (text.IsWhiteSpace())
                continue;

            int fields = text.Count(separator) + 1;
            if (fieldCount < 0)
            {
                fieldCount = fields;
                firstLine = lineNumber;
                labelIndex = ResolveLabelColumn(options.LabelColumn, fields, file, lineNumber);
                featureCount = fields - (labelIndex >= 0 ? 1 : 0);
                if (featureCount == 0)
                    throw new InvalidDataException($"{file} line {lineNumber}: the only field is the label; there are no features.");
            }
            else if (fields != fieldCount)
            {
                throw new InvalidDataException($"{file} line {lineNumber}: {fields} fields; expected {fieldCount} like line {firstLine}");
            }

            if (options.HasHeader && header is null)
            {
                header = line.Split(separator, StringSplitOptions.TrimEntries);
                continue;
            }

            int column = 0;
            foreach (Range range in text.Split(separator))
            {
                ReadOnlySpan<char> field = text[range].Trim();
                if (column == labelIndex)
                    labels.Add(ParseLabel(field, options.Classes, file, lineNumber, column));
                else
                    features.Add(ParseFeature(field, scale, file, lineNumber, column));
                column++;
            }

            lines.Add(lineNumber);
        }

        if (lines.Count == 0)
            throw new InvalidDataException(header is null ? $"{file} is empty: it holds no data rows." : $"{file} has a header but no data rows.");

        var columns = new List<ColumnInfo> { new("x", ColumnType.Float32, [featureCount]) };
        if (labelIndex >= 0)
            columns.Add(new ColumnInfo("y", ColumnType.Int32, []));
        return new CsvDataset(
            System.IO.Path.GetFullPath(path),
            columns.ToArray(),
            CollectionsMarshal.AsSpan(features).ToArray(),
            labelIndex >= 0 ? labels.ToArray() : null,
            lines.ToArray(),
            header);
    }

    private static int ResolveLabelColumn(int? labelColumn, int fields, string file, int lineNumber)
    {
        if (labelColumn is not int requested)
            return -1;
        int index = requested < 0 ? fields + requested : requested;
        if (index < 0 || index >= fields)
            throw new InvalidDataException($"{file} line {lineNumber}: CsvOptions.LabelColumn {requested} does not exist; the line has {fields} fields.");
        return index;
    }

    private static float ParseFeature(ReadOnlySpan<char> field, float scale, string file, int lineNumber, int column)
    {
        CheckNoNul(field, file, lineNumber, column);
        if (field.IsEmpty)
            throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: the field is empty");
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: {Quote(field)} is not a number");
        // float.Parse accepts "NaN" and "Infinity" and rounds 1e39 to infinity; none is usable data.
        float scaled = value * scale;
        if (!float.IsFinite(scaled))
        {
            string why = float.IsFinite(value) ? $" once scaled by FeatureScale {scale.ToString(CultureInfo.InvariantCulture)}" : "";
            throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: {Quote(field)} is not a finite number{why}");
        }

        return scaled;
    }

    private static int ParseLabel(ReadOnlySpan<char> field, int? classes, string file, int lineNumber, int column)
    {
        CheckNoNul(field, file, lineNumber, column);
        // Labels written as floats ("3.0", as pandas does for a float column) are accepted when whole.
        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label))
        {
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                || number != Math.Floor(number) || number < int.MinValue || number > int.MaxValue)
                throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: label {Quote(field)} is not an integer");
            label = (int)number;
        }

        if (classes is int count ? label < 0 || label >= count : label < 0)
        {
            string range = classes is int n ? $"outside [0, {n}) (CsvOptions.Classes = {n})" : "negative; class labels start at 0";
            throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: label {label} is {range}");
        }

        return label;
    }

    // .NET's number parsing stops at a NUL and ignores what follows ("7\0\0" parses as 7), so
    // a binary or zero-padded file would load as numbers; a NUL is never part of a CSV number.
    private static void CheckNoNul(ReadOnlySpan<char> field, string file, int lineNumber, int column)
    {
        int at = field.IndexOf('\0');
        if (at >= 0)
            throw new InvalidDataException($"{file} line {lineNumber}, column {column + 1}: the field holds a NUL character (byte 0) at position {at + 1}; expected a number (is this a binary file?)");
    }

    private static string Quote(ReadOnlySpan<char> field) =>
        field.Length <= 40 ? $"'{field}'" : $"'{field[..40]}...'";
}
