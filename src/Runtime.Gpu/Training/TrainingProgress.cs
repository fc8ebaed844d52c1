using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Dsl.Training.Progress;

namespace Dsl;

/// <summary>The Trainer's progress display: one stage per epoch, on the console or a given writer.</summary>
internal sealed class TrainingProgress : IDisposable
{
    private readonly ProgressRenderer _renderer;

    private TrainingProgress(ProgressRenderer renderer)
    {
        _renderer = renderer;
    }

    /// <summary>A display on <paramref name="output"/> (plain lines), or on the console (a live bar when it is a terminal).</summary>
    public static TrainingProgress Create(TextWriter? output) =>
        new(output is null ? ProgressRenderer.ForConsole() : new ProgressRenderer(output, interactive: false));

    public void StartEpoch(int epoch, int? maxEpochs, int batches)
    {
        string description = maxEpochs is int max
            ? string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch + 1}/{max}")
            : string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch + 1}");
        _renderer.StartStage(description, batches);
    }

    public void Update(int completed, IReadOnlyList<KeyValuePair<string, double>> metrics) => _renderer.Update(completed, metrics);

    public void EndEpoch(IReadOnlyList<KeyValuePair<string, double>> metrics) => _renderer.EndStage(metrics);

    public void Message(string message) => _renderer.WriteLine(message);

    public void Dispose() => _renderer.Dispose();
}
