using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Dsl.Logging;
using Dsl.Logging.TensorBoard;

namespace Dsl;

/// <summary>
/// Logs metrics as TensorBoard scalars, in the manner of PyTorch Lightning's
/// <c>TensorBoardLogger</c>: an append-only <c>events.out.tfevents.*</c> file in
/// <c>saveDirectory/name/version_N</c>, one Event per <see cref="LogMetrics"/> call holding one
/// <c>simple_value</c> per metric. Point <c>tensorboard --logdir saveDirectory</c> at it.
/// </summary>
/// <remarks>
/// <para>The file is TFRecord-framed (length, masked CRC-32C, data, masked CRC-32C) and starts
/// with the <c>brain.Event:2</c> version record. Values are stored as float, as TensorBoard's
/// <c>simple_value</c> is.</para>
/// <para>Events are buffered until <see cref="Flush"/> (each epoch end) or dispose. A new logger on
/// an existing run directory starts a new event file beside the old ones; TensorBoard reads them
/// all.</para>
/// </remarks>
public sealed class TensorBoardLogger : MetricLogger
{
    /// <summary>The tag of the text summary <see cref="LogHyperparameters"/> writes.</summary>
    public const string HyperparametersTag = "hyperparameters";

    private const string FilePrefix = "events.out.tfevents.";

    private readonly RecordWriter _writer;
    private readonly List<KeyValuePair<string, float>> _scalars = [];
    private readonly Dictionary<string, string> _hyperparameters = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Creates the run directory and the event file, and writes the version record.</summary>
    /// <param name="saveDirectory">The root of all runs.</param>
    /// <param name="name">The experiment's name, a directory under <paramref name="saveDirectory"/>; empty for none.</param>
    /// <param name="version">The run's version, or null for one more than the largest existing <c>version_N</c>.</param>
    /// <exception cref="ArgumentException">The directory or name is empty or invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    public TensorBoardLogger(string saveDirectory, string name = "default", int? version = null)
    {
        LogDirectory = RunDirectory.Create(saveDirectory, name, version);
        double now = WallTime();
        FileStream stream = CreateEventFile(LogDirectory, now);
        EventFilePath = stream.Name;
        _writer = new RecordWriter(stream);
        _writer.Write(EventEncoder.FileVersionEvent(now));
        _writer.Flush();
    }

    /// <inheritdoc/>
    public override string Name => "tensorboard";

    /// <summary>This run's directory, <c>saveDirectory/name/version_N</c>.</summary>
    public override string LogDirectory { get; }

    /// <summary>The full path of this logger's event file.</summary>
    public string EventFilePath { get; }

    /// <summary>
    /// Merges the hyperparameters with earlier ones, rewrites <c>hparams.yaml</c> atomically (as
    /// Lightning does) and adds a Markdown table of all of them as a text summary tagged
    /// <see cref="HyperparametersTag"/> at step 0, shown in TensorBoard's Text tab.
    /// </summary>
    /// <param name="hyperparameters">Names and values, already formatted as text.</param>
    /// <exception cref="ArgumentException">A name is empty or a value is null.</exception>
    public override void LogHyperparameters(IReadOnlyDictionary<string, string> hyperparameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MetricChecks.Validate(hyperparameters, Name);
        foreach (KeyValuePair<string, string> pair in hyperparameters)
            _hyperparameters[pair.Key] = pair.Value;
        AtomicFile.WriteAllText(Path.Combine(LogDirectory, HyperparameterYaml.FileName), HyperparameterYaml.Format(_hyperparameters));
        _writer.Write(EventEncoder.TextEvent(WallTime(), 0, HyperparametersTag, MarkdownTable(_hyperparameters)));
    }

    /// <summary>Appends one Event with a scalar per metric; it reaches the disk at the next <see cref="Flush"/>.</summary>
    /// <param name="metrics">Metric names (the tags) and values.</param>
    /// <param name="step">The global step, TensorBoard's x axis.</param>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MetricChecks.Validate(metrics, step, Name);
        _scalars.Clear();
        foreach (KeyValuePair<string, double> metric in metrics)
            _scalars.Add(new(metric.Key, (float)metric.Value));
        _writer.Write(EventEncoder.ScalarsEvent(WallTime(), step, _scalars));
    }

    /// <summary>Writes the buffered events through to disk.</summary>
    public override void Flush()
    {
        if (!_disposed)
            _writer.Flush();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _writer.Dispose();
        }

        base.Dispose(disposing);
    }

    private static double WallTime() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    // TensorFlow's name, events.out.tfevents.<seconds, 10 digits>.<host>.<pid>.<n>; n counts up
    // when two loggers in one process open the same directory within one second.
    private static FileStream CreateEventFile(string directory, double now)
    {
        string stem = FormattableString.Invariant($"{FilePrefix}{(long)now:D10}.{Environment.MachineName}.{Environment.ProcessId}.");
        for (int n = 0; ; n++)
        {
            string path = Path.Combine(directory, stem + n.ToString(CultureInfo.InvariantCulture));
            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
            }
            catch (IOException) when (File.Exists(path) && n < 1000)
            {
                // Taken by another logger of this process: try the next suffix.
            }
        }
    }

    private static string MarkdownTable(Dictionary<string, string> hyperparameters)
    {
        var table = new StringBuilder("| name | value |\n| --- | --- |\n");
        foreach (KeyValuePair<string, string> pair in hyperparameters)
            table.Append("| ").Append(MarkdownCell(pair.Key)).Append(" | ").Append(MarkdownCell(pair.Value)).Append(" |\n");
        return table.ToString();
    }

    private static string MarkdownCell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r\n", "<br>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);
}
