using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// Where a trainer sends its metrics, in the manner of PyTorch Lightning's loggers: one call per
/// logging step with every metric of that step, a flush at each epoch end and a dispose at the
/// end of training.
/// </summary>
/// <remarks>
/// The trainer calls <see cref="LogMetrics"/> with, for example, <c>{"train_loss": 0.3, "epoch": 2}</c>
/// at step 120 and <c>{"val_loss": .., "val_acc": .., "epoch": 2}</c> at the end of an epoch.
/// Implementations may buffer until <see cref="Flush"/>; <see cref="Dispose()"/> flushes.
/// </remarks>
public abstract class MetricLogger : IDisposable
{
    /// <summary>A short name of the kind of logger, such as <c>"csv"</c> or <c>"tensorboard"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The directory this run's files are written to, or null when the logger writes no files.</summary>
    public virtual string? LogDirectory => null;

    /// <summary>Records the run's hyperparameters. The default ignores them.</summary>
    /// <param name="hyperparameters">Names and values, already formatted as text.</param>
    public virtual void LogHyperparameters(IReadOnlyDictionary<string, string> hyperparameters)
    {
    }

    /// <summary>Records the metrics of one step.</summary>
    /// <param name="metrics">Metric names and values; names are non-empty.</param>
    /// <param name="step">The global step (optimizer steps so far), not negative.</param>
    public abstract void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step);

    /// <summary>Writes anything buffered to disk. The default does nothing.</summary>
    public virtual void Flush()
    {
    }

    /// <summary>Flushes and releases the logger's files.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; derived loggers flush here when <paramref name="disposing"/> is true.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>, false from a finalizer.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
