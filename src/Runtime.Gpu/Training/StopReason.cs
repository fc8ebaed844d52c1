namespace Dsl;

/// <summary>Why <see cref="Trainer.Fit"/> returned.</summary>
public enum StopReason
{
    /// <summary><see cref="TrainerOptions.MaxEpochs"/> epochs were completed.</summary>
    MaxEpochs,

    /// <summary><see cref="TrainerOptions.MaxSteps"/> optimizer steps were taken.</summary>
    MaxSteps,

    /// <summary>A callback or hook set <see cref="Trainer.ShouldStop"/> (for example <see cref="EarlyStopping"/>).</summary>
    Requested,

    /// <summary>A <see cref="TrainerOptions.FastDevRun"/> finished its batches.</summary>
    FastDevRun,
}
