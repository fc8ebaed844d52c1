using System;

namespace Dsl;

/// <summary>
/// Multiplies the rate by <see cref="Gamma"/> at every position, as
/// <c>torch.optim.lr_scheduler.ExponentialLR</c>: <c>lr = base * gamma^position</c>.
/// </summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">The factor per position (positive).</param>
    /// <param name="interval">Epochs by default, as ExponentialLR is usually stepped.</param>
    public ExponentialSchedule(double gamma, ScheduleInterval interval = ScheduleInterval.Epoch)
        : base(interval)
    {
        Gamma = PositiveFactor(gamma, nameof(gamma));
    }

    /// <summary>The factor per position.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRate(double baseLearningRate, long position) =>
        baseLearningRate * Math.Pow(Gamma, position);

    /// <inheritdoc/>
    public override string ToString() => $"ExponentialSchedule(gamma={Gamma}, interval={Interval})";
}
