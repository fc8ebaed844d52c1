namespace Dsl;

/// <summary>What a <see cref="LearningRateSchedule"/>'s position counts.</summary>
public enum ScheduleInterval
{
    /// <summary>Optimizer updates (one per optimizer step, so gradient accumulation counts once per update).</summary>
    Step,

    /// <summary>Finished training epochs, as the Trainer counts them.</summary>
    Epoch,
}
