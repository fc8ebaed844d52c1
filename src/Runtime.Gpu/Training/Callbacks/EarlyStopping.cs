using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// Stops training when a monitored metric stops improving, as Lightning's <c>EarlyStopping</c>:
/// after each validation (or each epoch when there is no validation) the metric counts as an
/// improvement when it beats the best so far by more than <see cref="MinDelta"/>; after
/// <see cref="Patience"/> checks without one, <see cref="Trainer.ShouldStop"/> is set. A NaN or
/// infinite value stops at once (<see cref="CheckFinite"/>).
/// </summary>
public sealed class EarlyStopping : Callback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric, e.g. <c>"val_loss"</c>.</param>
    /// <param name="patience">Checks without improvement before stopping (at least 1).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (non-negative).</param>
    /// <param name="mode">Whether lower (<see cref="MonitorMode.Min"/>) or higher is better.</param>
    /// <param name="checkFinite">Stop as soon as the metric is NaN or infinite.</param>
    public EarlyStopping(string monitor, int patience = 3, double minDelta = 0, MonitorMode mode = MonitorMode.Min, bool checkFinite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!(minDelta >= 0 && double.IsFinite(minDelta)))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be finite and non-negative.");
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected MonitorMode.Min or MonitorMode.Max.");
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        Mode = mode;
        CheckFinite = checkFinite;
        BestScore = mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The monitored metric.</summary>
    public string Monitor { get; }

    /// <summary>Checks without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>Whether a NaN or infinite value stops training at once.</summary>
    public bool CheckFinite { get; }

    /// <summary>The best value seen.</summary>
    public double BestScore { get; private set; }

    /// <summary>Checks since the last improvement.</summary>
    public int WaitCount { get; private set; }

    /// <summary>The epoch in which this callback stopped training, or -1.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>Why training was stopped, or null while it has not been.</summary>
    public string? StopMessage { get; private set; }

    /// <inheritdoc/>
    public override string StateKey => $"EarlyStopping{{monitor={Monitor}, mode={Mode}}}";

    /// <inheritdoc/>
    public override bool RunsInFastDevRun => false;

    /// <inheritdoc/>
    public override void OnFitStart(Trainer trainer, ITrainableModel model)
    {
        if (!trainer.KnownMetricNames.Contains(Monitor))
            throw new ArgumentException($"EarlyStopping monitors '{Monitor}', which this run never logs. It logs: {string.Join(", ", trainer.KnownMetricNames)}.");
    }

    /// <inheritdoc/>
    public override void OnValidationEnd(Trainer trainer, ITrainableModel model)
    {
        if (!trainer.IsAtEpochEnd)
            Check(trainer);
    }

    /// <inheritdoc/>
    public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel model) => Check(trainer);

    /// <summary>Applies one check to <paramref name="value"/>; returns true when training should stop.</summary>
    /// <param name="value">The monitored metric's latest value.</param>
    /// <param name="epoch">The epoch, for <see cref="StoppedEpoch"/>.</param>
    public bool Update(double value, int epoch)
    {
        if (CheckFinite && !double.IsFinite(value))
            return Stop(epoch, $"Monitored metric {Monitor} = {Format(value)} is not finite. Previous best value was {Format(BestScore)}. Signaling Trainer to stop.");
        bool improved = Mode == MonitorMode.Min ? value < BestScore - MinDelta : value > BestScore + MinDelta;
        if (improved)
        {
            BestScore = value;
            WaitCount = 0;
            return false;
        }

        WaitCount++;
        return WaitCount >= Patience
            && Stop(epoch, $"Monitored metric {Monitor} did not improve in the last {WaitCount} records. Best score: {Format(BestScore)}. Signaling Trainer to stop.");
    }

    /// <inheritdoc/>
    public override JsonObject SaveState() => new()
    {
        ["best_score"] = BestScore.ToString("R", CultureInfo.InvariantCulture),
        ["wait_count"] = WaitCount,
        ["stopped_epoch"] = StoppedEpoch,
        ["patience"] = Patience,
    };

    /// <inheritdoc/>
    public override void ValidateState(JsonObject state) => Parse(state);

    /// <inheritdoc/>
    public override void LoadState(JsonObject state)
    {
        SavedState saved = Parse(state);
        BestScore = saved.BestScore;
        WaitCount = saved.WaitCount;
        StoppedEpoch = saved.StoppedEpoch;
    }

    /// <summary>
    /// Reads what <see cref="SaveState"/> wrote. The best score is never NaN (a NaN never
    /// improves on it), and <c>patience</c> is not read back: this run's own setting applies.
    /// </summary>
    private static SavedState Parse(JsonObject state) => new(
        StateFields.DoubleText(state, "best_score", allowNaN: false),
        StateFields.Int(state, "wait_count", 0, int.MaxValue),
        StateFields.Int(state, "stopped_epoch", -1, int.MaxValue));

    private void Check(Trainer trainer)
    {
        if (trainer.TryGetMetric(Monitor, out double value) && Update(value, trainer.CurrentEpoch))
            trainer.ShouldStop = true;
    }

    private bool Stop(int epoch, string message)
    {
        StoppedEpoch = epoch;
        StopMessage = message;
        return true;
    }

    private readonly record struct SavedState(double BestScore, int WaitCount, int StoppedEpoch);

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
}
