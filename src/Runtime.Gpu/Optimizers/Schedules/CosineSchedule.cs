using System;

namespace Dsl;

/// <summary>
/// Cosine annealing from the base rate down to <see cref="MinLearningRate"/> over
/// <see cref="Period"/> positions, then held there, as the closed form of
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>:
/// <c>lr = min + (base - min) * (1 + cos(pi * t / period)) / 2</c> with <c>t = min(position, period)</c>.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="period">Positions from the base rate to the minimum (PyTorch's <c>T_max</c>).</param>
    /// <param name="minLearningRate">The rate at the end (PyTorch's <c>eta_min</c>).</param>
    /// <param name="interval">Optimizer steps by default.</param>
    public CosineSchedule(int period, double minLearningRate = 0, ScheduleInterval interval = ScheduleInterval.Step)
        : base(interval)
    {
        Period = Positive(period, nameof(period));
        MinLearningRate = NonNegative(minLearningRate, nameof(minLearningRate));
    }

    /// <summary>Positions from the base rate to the minimum.</summary>
    public int Period { get; }

    /// <summary>The rate at the end of the period and after it.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    public override double LearningRate(double baseLearningRate, long position) =>
        Anneal(baseLearningRate, MinLearningRate, Math.Min(position, Period), Period);

    /// <summary>The cosine from <paramref name="from"/> at 0 to <paramref name="to"/> at <paramref name="length"/>.</summary>
    internal static double Anneal(double from, double to, long t, long length) =>
        to + (from - to) * (1 + Math.Cos(Math.PI * t / length)) / 2;

    /// <inheritdoc/>
    public override string ToString() => $"CosineSchedule(period={Period}, min_lr={MinLearningRate}, interval={Interval})";
}
