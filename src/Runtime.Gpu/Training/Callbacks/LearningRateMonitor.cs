namespace Dsl;

/// <summary>
/// Logs the optimizer's learning rate as <c>lr-{Optimizer}</c> (<c>lr-AdamW</c>), as Lightning's
/// <c>LearningRateMonitor</c>: at every logged step, or once per epoch.
/// </summary>
public sealed class LearningRateMonitor : Callback
{
    /// <summary>Creates the monitor.</summary>
    /// <param name="interval">Log every logged step (the default) or at each epoch's end.</param>
    public LearningRateMonitor(ScheduleInterval interval = ScheduleInterval.Step)
    {
        Interval = interval;
    }

    /// <summary>When the rate is logged.</summary>
    public ScheduleInterval Interval { get; }

    /// <inheritdoc/>
    public override void OnFitStart(Trainer trainer, ITrainableModel model)
    {
        if (trainer.OptimizerState is { } state)
            trainer.DeclareMetrics(Name(state));
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(Trainer trainer, ITrainableModel model, float loss)
    {
        if (Interval == ScheduleInterval.Step && trainer.IsLoggingStep && trainer.OptimizerState is { } state)
            trainer.Log(Name(state), state.LearningRate);
    }

    /// <inheritdoc/>
    public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel model)
    {
        if (Interval == ScheduleInterval.Epoch && trainer.OptimizerState is { } state)
            trainer.Log(Name(state), state.LearningRate);
    }

    private static string Name(OptimizerState state) => "lr-" + state.Optimizer.GetType().Name;
}
