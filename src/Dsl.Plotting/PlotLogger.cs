using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dsl.Plotting;
using ScottPlot;

namespace Dsl;

/// <summary>
/// Draws the run's metrics as <c>metrics.png</c>: one panel per family (losses, accuracies,
/// learning rates, then anything else), training and validation curves together, the global step
/// on the x axis. The picture is redrawn when a validation row arrives (any metric named
/// <c>val_*</c>), so also after validations inside an epoch, and at every <see cref="Flush"/> that
/// follows new metrics, which the trainer calls at each epoch end and at the end of <c>Fit</c>.
/// </summary>
/// <remarks>
/// <para>The file is replaced through <see cref="AtomicFile"/>, so a reader (an image viewer left
/// open, a web page polling it) sees the whole previous picture or the whole new one, never half
/// a PNG; a failed write leaves the previous picture in place.</para>
/// <para>The <c>epoch</c> and <c>step</c> values the trainer logs beside the metrics are axes,
/// not curves, and are not drawn. Non-finite values (a diverged loss) are left out of the curve.</para>
/// <para>Pass the CSV logger's <see cref="CsvLogger.LogDirectory"/> as the directory to keep the
/// picture beside <c>metrics.csv</c>.</para>
/// </remarks>
public sealed class PlotLogger : MetricLogger
{
    /// <summary>The name of the picture in <see cref="LogDirectory"/>.</summary>
    public const string PlotFileName = "metrics.png";

    private const int MaxSize = 8192;

    // Logged beside the metrics as the x position of a row, not as something to plot.
    private static readonly HashSet<string> Axes = new(StringComparer.Ordinal) { "epoch", "step" };

    // Insertion-ordered so the legend lists curves in order of first appearance.
    private readonly List<string> _names = [];
    private readonly Dictionary<string, (List<double> Steps, List<double> Values)> _series = new(StringComparer.Ordinal);
    private bool _changed;
    private bool _disposed;

    /// <summary>Creates <paramref name="directory"/>; the picture appears at the first <see cref="Flush"/> after metrics are logged.</summary>
    /// <param name="directory">Where <c>metrics.png</c> is written.</param>
    /// <param name="width">The picture's width in pixels.</param>
    /// <param name="height">The picture's height in pixels.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is below 100 or above 8192 pixels.</exception>
    /// <exception cref="IOException">The directory cannot be created; the message names it.</exception>
    public PlotLogger(string directory, int width = 1000, int height = 900)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        // Past this a picture is hundreds of megabytes of pixels: a typo, not a wish.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSize);
        LogDirectory = Path.GetFullPath(directory);
        PlotPath = Path.Combine(LogDirectory, PlotFileName);
        Width = width;
        Height = height;
        try
        {
            Directory.CreateDirectory(LogDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The plot logger cannot create its directory '{LogDirectory}': {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override string Name => "plot";

    /// <summary>The directory <c>metrics.png</c> is written to, as a full path.</summary>
    public override string LogDirectory { get; }

    /// <summary>The full path of <c>metrics.png</c>.</summary>
    public string PlotPath { get; }

    /// <summary>The picture's width in pixels.</summary>
    public int Width { get; }

    /// <summary>The picture's height in pixels.</summary>
    public int Height { get; }

    /// <summary>How many times the picture has been written.</summary>
    public int PlotsWritten { get; private set; }

    /// <summary>Adds the step's values to their curves; they are drawn at once when the row holds a validation metric, else at the next <see cref="Flush"/>.</summary>
    /// <param name="metrics">Metric names and values.</param>
    /// <param name="step">The global step, the x position of the values.</param>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="IOException">A validation row's picture could not be written; see <see cref="Flush"/>.</exception>
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        foreach (KeyValuePair<string, double> pair in metrics)
        {
            if (string.IsNullOrEmpty(pair.Key))
                throw new ArgumentException($"The plot logger was given a metric with an empty name at step {step}.", nameof(metrics));
            if (Axes.Contains(pair.Key) || !double.IsFinite(pair.Value))
                continue;
            if (!_series.TryGetValue(pair.Key, out var series))
            {
                series = ([], []);
                _series.Add(pair.Key, series);
                _names.Add(pair.Key);
            }

            series.Steps.Add(step);
            series.Values.Add(pair.Value);
            _changed = true;
        }

        // The trainer flushes only at epoch ends; a validation inside an epoch deserves its picture too.
        if (metrics.Keys.Any(IsValidationMetric))
            Flush();
    }

    /// <summary>Redraws <c>metrics.png</c> atomically when metrics arrived since the last picture.</summary>
    /// <exception cref="IOException">The picture could not be written; the message names the file, and the previous picture is left intact.</exception>
    public override void Flush()
    {
        if (_disposed || !_changed)
            return;
        byte[] png = Render();
        try
        {
            AtomicFile.Write(PlotPath, stream => stream.Write(png));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The plot logger could not write '{PlotPath}': {e.Message}", e);
        }

        _changed = false;
        PlotsWritten++;
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

    private static bool IsValidationMetric(string name) => name.StartsWith("val_", StringComparison.Ordinal);

    private byte[] Render()
    {
        MetricFamily[] families = _names.Select(MetricFamilies.Of).Distinct().Order().ToArray();
        // One x range for every panel, so a step lines up down the picture.
        double first = _series.Values.Min(s => s.Steps[0]), last = _series.Values.Max(s => s.Steps[^1]);
        double margin = Math.Max(1, (last - first) * 0.03);
        var multiplot = new Multiplot();
        multiplot.AddPlots(families.Length);
        for (int panel = 0; panel < families.Length; panel++)
        {
            Plot plot = multiplot.GetPlot(panel);
            plot.Title(MetricFamilies.Title(families[panel]));
            plot.XLabel("step");
            double low = double.PositiveInfinity, high = double.NegativeInfinity;
            foreach (string name in _names.Where(n => MetricFamilies.Of(n) == families[panel]))
            {
                var (steps, values) = _series[name];
                var scatter = plot.Add.Scatter(steps.ToArray(), values.ToArray());
                scatter.LegendText = name;
                // Validation and epoch means come once an epoch: markers show where each point is.
                // Step values are dense enough to read as a line.
                scatter.MarkerSize = steps.Count <= 50 ? 5 : 0;
                low = Math.Min(low, values.Min());
                high = Math.Max(high, values.Max());
            }

            // Outside the data area, so the legend never hides the latest points.
            plot.ShowLegend(Edge.Right);
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsX(first - margin, last + margin);
            // A flat curve (a constant learning rate of 1e-3) would get a -1..1 axis and look like 0.
            if (high - low <= Math.Abs(high) * 1e-9)
            {
                double half = high == 0 ? 1 : Math.Abs(high) * 0.5;
                plot.Axes.SetLimitsY(high - half, high + half);
            }
        }

        using Image image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }
}
