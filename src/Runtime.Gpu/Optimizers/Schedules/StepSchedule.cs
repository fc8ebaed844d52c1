using System;

namespace Dsl;

/// <summary>
/// Multiplies the rate by <see cref="Gamma"/> every <see cref="StepSize"/> positions, as
/// <c>torch.optim.lr_scheduler.StepLR</c>: <c>lr = base * gamma^floor(position / step_size)</c>.
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Positions between decays (at least 1).</param>
    /// <param name="gamma">The decay factor (positive; 0.1 as in PyTorch by default).</param>
    /// <param name="interval">Epochs by default, as StepLR is usually stepped.</param>
    public StepSchedule(int stepSize, double gamma = 0.1, ScheduleInterval interval = ScheduleInterval.Epoch)
        : base(interval)
    {
        StepSize = Positive(stepSize, nameof(stepSize));
        Gamma = PositiveFactor(gamma, nameof(gamma));
    }

    /// <summary>Positions between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRate(double baseLearningRate, long position) =>
        baseLearningRate * Math.Pow(Gamma, position / StepSize);

    /// <inheritdoc/>
    public override string ToString() => $"StepSchedule(step_size={StepSize}, gamma={Gamma}, interval={Interval})";
}
