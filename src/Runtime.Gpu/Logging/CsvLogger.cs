using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Dsl.Logging;

namespace Dsl;

/// <summary>
/// Logs metrics to <c>metrics.csv</c> in the manner of PyTorch Lightning's <c>CSVLogger</c>: one
/// row per <see cref="LogMetrics"/> call, a <c>step</c> column first and then one column per
/// metric in order of first appearance, with empty cells where a row lacks a metric.
/// </summary>
/// <remarks>
/// <para>The run directory is <c>saveDirectory/name/version_N</c>, N being the next free version
/// unless one is given. Giving the version of an existing run continues its <c>metrics.csv</c>
/// (for a resumed run) instead of replacing it.</para>
/// <para>Rows are kept in memory until <see cref="Flush"/>, which appends them. When they bring a
/// new column the whole file is rewritten atomically with the wider header and every earlier row
/// padded, so the file on disk is always a complete CSV and nothing written is lost.</para>
/// <para>Numbers are invariant-culture and round-trip (see <see cref="CsvText.FormatNumber"/>);
/// lines end with <c>\n</c>; column names are quoted per RFC 4180 when they need it.</para>
/// </remarks>
public sealed class CsvLogger : MetricLogger
{
    /// <summary>The name of the metrics file in <see cref="LogDirectory"/>.</summary>
    public const string MetricsFileName = "metrics.csv";

    private const string StepColumn = "step";

    private readonly List<string> _columns = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<(string Text, int Columns)> _pending = [];
    private readonly Dictionary<string, string> _hyperparameters = new(StringComparer.Ordinal);
    // Metric columns in the header on disk; -1 while there is no file.
    private int _columnsOnDisk = -1;
    private bool _disposed;

    /// <summary>Creates the run directory; the metrics file appears at the first <see cref="Flush"/>.</summary>
    /// <param name="saveDirectory">The root of all runs.</param>
    /// <param name="name">The experiment's name, a directory under <paramref name="saveDirectory"/>; empty for none.</param>
    /// <param name="version">The run's version, or null for one more than the largest existing <c>version_N</c>.</param>
    /// <exception cref="ArgumentException">The directory or name is empty or invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The run already has a <c>metrics.csv</c> whose header cannot be continued.</exception>
    public CsvLogger(string saveDirectory, string name = "default", int? version = null)
    {
        LogDirectory = RunDirectory.Create(saveDirectory, name, version);
        MetricsPath = Path.Combine(LogDirectory, MetricsFileName);
        if (File.Exists(MetricsPath))
            ContinueExistingFile();
    }

    /// <inheritdoc/>
    public override string Name => "csv";

    /// <summary>This run's directory, <c>saveDirectory/name/version_N</c>.</summary>
    public override string LogDirectory { get; }

    /// <summary>The full path of <c>metrics.csv</c>.</summary>
    public string MetricsPath { get; }

    /// <summary>The metric columns so far, after <c>step</c>, in order of first appearance.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Merges the hyperparameters with earlier ones and rewrites <c>hparams.yaml</c> atomically.</summary>
    /// <param name="hyperparameters">Names and values, already formatted as text.</param>
    /// <exception cref="ArgumentException">A name is empty or a value is null.</exception>
    public override void LogHyperparameters(IReadOnlyDictionary<string, string> hyperparameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MetricChecks.Validate(hyperparameters, Name);
        foreach (KeyValuePair<string, string> pair in hyperparameters)
            _hyperparameters[pair.Key] = pair.Value;
        AtomicFile.WriteAllText(Path.Combine(LogDirectory, HyperparameterYaml.FileName), HyperparameterYaml.Format(_hyperparameters));
    }

    /// <summary>Adds one row; it reaches the file at the next <see cref="Flush"/>.</summary>
    /// <param name="metrics">Metric names and values.</param>
    /// <param name="step">The global step, written in the <c>step</c> column.</param>
    /// <exception cref="ArgumentException">A name is empty or is <c>step</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MetricChecks.Validate(metrics, step, Name);
        if (metrics.ContainsKey(StepColumn))
            throw new ArgumentException($"The csv logger was given a metric named '{StepColumn}' at step {step}; that name is its step column.", nameof(metrics));
        foreach (string name in metrics.Keys)
        {
            if (_known.Add(name))
                _columns.Add(name);
        }

        var row = new StringBuilder(16 * (_columns.Count + 1));
        row.Append(step.ToString(CultureInfo.InvariantCulture));
        foreach (string column in _columns)
        {
            row.Append(',');
            if (metrics.TryGetValue(column, out double value))
                row.Append(CsvText.FormatNumber(value));
        }

        _pending.Add((row.ToString(), _columns.Count));
    }

    /// <summary>Writes the buffered rows to disk, rewriting the file atomically when the header grew.</summary>
    /// <exception cref="IOException">The file could not be written; the rows stay buffered for the next try.</exception>
    public override void Flush()
    {
        if (_disposed || (_pending.Count == 0 && _columnsOnDisk == _columns.Count))
            return;
        if (_columnsOnDisk < 0 || !File.Exists(MetricsPath))
            AtomicFile.Write(MetricsPath, stream => WriteText(stream, Header() + PendingRows()));
        else if (_columnsOnDisk < _columns.Count)
            RewriteWithWiderHeader();
        else
            AppendPendingRows();
        _pending.Clear();
        _columnsOnDisk = _columns.Count;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            try
            {
                Flush();
            }
            finally
            {
                _disposed = true;
            }
        }

        base.Dispose(disposing);
    }

    private void ContinueExistingFile()
    {
        string text = File.ReadAllText(MetricsPath);
        if (text.Length == 0)
            return; // An empty file holds nothing to keep; the first flush replaces it.
        List<string> header = CsvText.ReadHeader(text, MetricsPath, out _);
        if (header[0] != StepColumn)
            throw new InvalidDataException($"{MetricsPath} line 1, column 1: expected '{StepColumn}', found '{header[0]}'; the CSV logger only continues files it wrote.");
        for (int i = 1; i < header.Count; i++)
        {
            if (header[i].Length == 0 || !_known.Add(header[i]))
                throw new InvalidDataException($"{MetricsPath} line 1, column {i + 1}: the column name '{header[i]}' is empty or repeated.");
            _columns.Add(header[i]);
        }

        _columnsOnDisk = _columns.Count;
    }

    private void RewriteWithWiderHeader()
    {
        string old = File.ReadAllText(MetricsPath);
        CsvText.ReadHeader(old, MetricsPath, out int end);
        // New columns only ever go on the right, so an old row widens by empty cells at its end.
        // Rows hold only numbers, so each is exactly one line.
        string padding = new(',', _columns.Count - _columnsOnDisk);
        var text = new StringBuilder(old.Length + (old.Length / 8) + 256).Append(Header());
        foreach (string line in old[end..].Split('\n'))
        {
            string row = line.TrimEnd('\r');
            if (row.Length > 0)
                text.Append(row).Append(padding).Append('\n');
        }

        text.Append(PendingRows());
        AtomicFile.Write(MetricsPath, stream => WriteText(stream, text.ToString()));
    }

    private void AppendPendingRows()
    {
        using var stream = new FileStream(MetricsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        WriteText(stream, PendingRows());
        stream.Flush(flushToDisk: true);
    }

    private string Header()
    {
        var header = new StringBuilder(StepColumn);
        foreach (string column in _columns)
            header.Append(',').Append(CsvText.Escape(column));
        return header.Append('\n').ToString();
    }

    private string PendingRows()
    {
        var rows = new StringBuilder();
        foreach ((string text, int columns) in _pending)
            rows.Append(text).Append(',', _columns.Count - columns).Append('\n');
        return rows.ToString();
    }

    private static void WriteText(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
