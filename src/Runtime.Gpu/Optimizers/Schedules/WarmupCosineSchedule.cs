using System;

namespace Dsl;

/// <summary>
/// Linear warm-up then cosine decay, the schedule GPT training uses (as nanoGPT's <c>get_lr</c>, with the warm-up reaching the base rate at its last position):
/// for <c>t &lt; warmup</c> the rate rises linearly, <c>base * (t + 1) / warmup</c>; from
/// <c>warmup</c> to <c>total</c> it follows a cosine from <c>base</c> down to
/// <see cref="MinLearningRate"/>; after <c>total</c> it stays at the minimum.
/// </summary>
public sealed class WarmupCosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">Positions of linear warm-up (0 for none).</param>
    /// <param name="totalSteps">The position where the cosine reaches the minimum (greater than <paramref name="warmupSteps"/>).</param>
    /// <param name="minLearningRate">The final rate.</param>
    /// <param name="interval">Optimizer steps by default.</param>
    public WarmupCosineSchedule(int warmupSteps, int totalSteps, double minLearningRate = 0, ScheduleInterval interval = ScheduleInterval.Step)
        : base(interval)
    {
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"warmupSteps must be non-negative (was {warmupSteps}).");
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps ({totalSteps}) must be greater than warmupSteps ({warmupSteps}).");
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLearningRate = NonNegative(minLearningRate, nameof(minLearningRate));
    }

    /// <summary>Positions of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The position where the decay reaches <see cref="MinLearningRate"/>.</summary>
    public int TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    public override double LearningRate(double baseLearningRate, long position)
    {
        if (position < WarmupSteps)
            return baseLearningRate * (position + 1) / WarmupSteps;
        long t = Math.Min(position, TotalSteps) - WarmupSteps;
        return CosineSchedule.Anneal(baseLearningRate, MinLearningRate, t, TotalSteps - WarmupSteps);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"WarmupCosineSchedule(warmup={WarmupSteps}, total={TotalSteps}, min_lr={MinLearningRate}, interval={Interval})";
}
