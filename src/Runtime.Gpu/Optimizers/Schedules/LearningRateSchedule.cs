using System;

namespace Dsl;

/// <summary>
/// A learning-rate schedule declared with its optimizer
/// (<c>new AdamW(3e-4f) { Schedule = new WarmupCosineSchedule(100, 5000) }</c>): a pure function
/// from the optimizer's base learning rate and a position (optimizer steps taken, or epochs
/// finished) to the rate of the next update, like torch.optim.lr_scheduler's closed forms.
/// </summary>
/// <remarks>
/// Being a function of the position rather than a stateful object is what lets a resumed run
/// continue exactly: the checkpoint stores the step and the epoch, and the rate follows.
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>Sets the interval the schedule advances on.</summary>
    /// <param name="interval">Whether the position counts optimizer steps or epochs.</param>
    protected LearningRateSchedule(ScheduleInterval interval)
    {
        if (!Enum.IsDefined(interval))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Expected ScheduleInterval.Step or ScheduleInterval.Epoch.");
        Interval = interval;
    }

    /// <summary>Whether the schedule advances once per optimizer step or once per epoch (Lightning's <c>interval</c>).</summary>
    public ScheduleInterval Interval { get; }

    /// <summary>The learning rate of the update made at <paramref name="position"/>.</summary>
    /// <param name="baseLearningRate">The optimizer's <see cref="Optimizer.LearningRate"/>.</param>
    /// <param name="position">Updates already made (for <see cref="ScheduleInterval.Step"/>) or epochs finished (for <see cref="ScheduleInterval.Epoch"/>), from 0.</param>
    public abstract double LearningRate(double baseLearningRate, long position);

    /// <summary>Checks that a count is at least one, naming it in the message.</summary>
    private protected static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 (was {value}).");

    /// <summary>Checks that a factor is finite and positive, naming it in the message.</summary>
    private protected static double PositiveFactor(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite (was {value}).");

    /// <summary>Checks that a rate is finite and non-negative, naming it in the message.</summary>
    private protected static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative (was {value}).");
}
