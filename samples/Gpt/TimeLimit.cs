using System;
using System.Diagnostics;
using Dsl;

namespace Gpt;

/// <summary>Ends training once a wall-clock budget is spent (Lightning's <c>Timer</c> callback, or <c>max_time</c>).</summary>
internal sealed class TimeLimit(TimeSpan budget) : Callback
{
    private readonly Stopwatch _clock = new();

    /// <summary>Whether the budget ended the run.</summary>
    public bool Expired { get; private set; }

    /// <inheritdoc/>
    public override void OnFitStart(Trainer trainer, ITrainableModel model) => _clock.Restart();

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(Trainer trainer, ITrainableModel model, float loss)
    {
        if (_clock.Elapsed < budget)
            return;
        Expired = true;
        trainer.ShouldStop = true;
    }
}
