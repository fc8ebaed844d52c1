using System;
using Xunit;

namespace Dsl.Tests.Optimizers;

/// <summary>
/// The learning-rate schedules against their formulas (written out here, not taken from the
/// code under test) and against values printed by PyTorch's own schedulers.
/// </summary>
/// <remarks>
/// The PyTorch values come from Debian's <c>/usr/bin/python3</c> with torch 1.13.0a0:
/// <code>
/// import torch
/// def run(make, n=12):
///     p = torch.nn.Parameter(torch.zeros(1))
///     opt = torch.optim.SGD([p], lr=0.1)
///     s = make(opt)
///     out = []
///     for t in range(n):
///         out.append(s.get_last_lr()[0])
///         opt.step(); s.step()
///     return out
/// print([repr(x) for x in run(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5))])
/// print([repr(x) for x in run(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9))])
/// print([repr(x) for x in run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.01))])
/// </code>
/// Element t of each list is the rate of the update made after t scheduler steps, which is the
/// schedule's value at position t.
/// </remarks>
public sealed class ScheduleTests
{
    private const double Base = 0.1;
    private const double FormulaTolerance = 1e-12;
    private const double TorchTolerance = 1e-9;

    private static readonly double[] TorchStepLR =
    [
        0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125,
    ];

    private static readonly double[] TorchExponentialLR =
    [
        0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002,
        0.05904900000000002, 0.05314410000000002, 0.04782969000000002, 0.043046721000000024,
        0.03874204890000002, 0.03486784401000002, 0.03138105960900001,
    ];

    // Only t <= T_max = 8 is compared: past it torch's recursive form climbs back up the cosine
    // (0.013425421036992097, 0.02318019484660537, 0.03777924554357097), while CosineSchedule holds
    // the minimum.
    private static readonly double[] TorchCosineAnnealingLR =
    [
        0.1, 0.0965745789630079, 0.08681980515339463, 0.07222075445642905, 0.055,
        0.03777924554357096, 0.023180194846605363, 0.013425421036992097, 0.01,
    ];

    [Fact]
    public void StepScheduleFollowsStepLR()
    {
        var schedule = new StepSchedule(stepSize: 3, gamma: 0.5);
        Assert.Equal(ScheduleInterval.Epoch, schedule.Interval);
        for (int t = 0; t < 40; t++)
        {
            // base * gamma^floor(t / step_size), the power by repeated multiplication.
            double expected = Base;
            for (int k = 0; k < t / 3; k++)
                expected *= 0.5;
            AssertRelative(expected, schedule.LearningRate(Base, t), FormulaTolerance, $"position {t}");
        }

        for (int t = 0; t < TorchStepLR.Length; t++)
            AssertRelative(TorchStepLR[t], schedule.LearningRate(Base, t), TorchTolerance, $"torch, position {t}");
    }

    [Fact]
    public void StepScheduleWithAStepSizeOfOneDecaysEveryPosition()
    {
        var schedule = new StepSchedule(stepSize: 1, gamma: 0.25, ScheduleInterval.Step);
        Assert.Equal(ScheduleInterval.Step, schedule.Interval);
        Assert.Equal(2.0, schedule.LearningRate(2.0, 0));
        Assert.Equal(0.5, schedule.LearningRate(2.0, 1));
        Assert.Equal(0.125, schedule.LearningRate(2.0, 2));
        Assert.Equal(2.0 / 1024, schedule.LearningRate(2.0, 5));
    }

    [Fact]
    public void ExponentialScheduleFollowsExponentialLR()
    {
        var schedule = new ExponentialSchedule(gamma: 0.9);
        Assert.Equal(ScheduleInterval.Epoch, schedule.Interval);
        double expected = Base;
        for (int t = 0; t < 40; t++)
        {
            AssertRelative(expected, schedule.LearningRate(Base, t), FormulaTolerance, $"position {t}");
            expected *= 0.9;
        }

        for (int t = 0; t < TorchExponentialLR.Length; t++)
            AssertRelative(TorchExponentialLR[t], schedule.LearningRate(Base, t), TorchTolerance, $"torch, position {t}");
    }

    [Fact]
    public void ExponentialScheduleAboveOneGrows()
    {
        var schedule = new ExponentialSchedule(gamma: 2, ScheduleInterval.Step);
        Assert.Equal(1.0, schedule.LearningRate(1.0, 0));
        Assert.Equal(8.0, schedule.LearningRate(1.0, 3));
    }

    [Fact]
    public void CosineScheduleFollowsCosineAnnealingLRThenHoldsTheMinimum()
    {
        const int period = 8;
        const double min = 0.01;
        var schedule = new CosineSchedule(period, min);
        Assert.Equal(ScheduleInterval.Step, schedule.Interval);
        for (int t = 0; t <= period; t++)
        {
            // eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2
            double expected = min + (Base - min) * (1 + Math.Cos(Math.PI * t / period)) / 2;
            AssertRelative(expected, schedule.LearningRate(Base, t), FormulaTolerance, $"position {t}");
            AssertRelative(TorchCosineAnnealingLR[t], schedule.LearningRate(Base, t), TorchTolerance, $"torch, position {t}");
        }

        Assert.Equal(Base, schedule.LearningRate(Base, 0));
        AssertRelative(min, schedule.LearningRate(Base, period), FormulaTolerance, "end of the period");
        AssertRelative((Base + min) / 2, schedule.LearningRate(Base, period / 2), FormulaTolerance, "half way");
        foreach (long t in new long[] { period + 1, period + 5, 1_000, int.MaxValue, long.MaxValue })
            AssertRelative(min, schedule.LearningRate(Base, t), FormulaTolerance, $"position {t}, after the period");
    }

    [Fact]
    public void CosineScheduleDefaultsToAMinimumOfZero()
    {
        var schedule = new CosineSchedule(4);
        Assert.Equal(0.0, schedule.MinLearningRate);
        AssertRelative(0.5 * (1 + Math.Cos(Math.PI / 4)), schedule.LearningRate(1.0, 1), FormulaTolerance, "position 1");
        Assert.Equal(0.0, schedule.LearningRate(1.0, 4), 15);
        Assert.Equal(0.0, schedule.LearningRate(1.0, 9), 15);
    }

    [Fact]
    public void WarmupCosineScheduleFollowsNanoGptsGetLr()
    {
        const int warmup = 10, total = 50;
        const double learningRate = 6e-4, min = 6e-5;
        var schedule = new WarmupCosineSchedule(warmup, total, min);
        Assert.Equal(ScheduleInterval.Step, schedule.Interval);
        for (int t = 0; t < total + 20; t++)
        {
            double expected;
            if (t < warmup)
            {
                expected = learningRate * (t + 1) / warmup;
            }
            else if (t > total)
            {
                expected = min;
            }
            else
            {
                double ratio = (double)(t - warmup) / (total - warmup);
                expected = min + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (learningRate - min);
            }

            AssertRelative(expected, schedule.LearningRate(learningRate, t), FormulaTolerance, $"position {t}");
        }
    }

    [Fact]
    public void WarmupCosineScheduleEndPoints()
    {
        const int warmup = 10, total = 50;
        const double min = 0.001;
        var schedule = new WarmupCosineSchedule(warmup, total, min);
        AssertRelative(Base / warmup, schedule.LearningRate(Base, 0), FormulaTolerance, "position 0");
        AssertRelative(Base, schedule.LearningRate(Base, warmup - 1), FormulaTolerance, "last warm-up position");
        AssertRelative(Base, schedule.LearningRate(Base, warmup), FormulaTolerance, "first cosine position");
        foreach (long t in new long[] { total, total + 1, 1_000, int.MaxValue, long.MaxValue })
            AssertRelative(min, schedule.LearningRate(Base, t), FormulaTolerance, $"position {t}");

        // Rising through the warm-up, then strictly falling until total, then flat.
        for (int t = 1; t < warmup; t++)
            Assert.True(schedule.LearningRate(Base, t) > schedule.LearningRate(Base, t - 1), $"warm-up rises at {t}");
        for (int t = warmup + 1; t <= total; t++)
            Assert.True(schedule.LearningRate(Base, t) < schedule.LearningRate(Base, t - 1), $"cosine falls at {t}");
        for (int t = warmup; t < total + 30; t++)
            Assert.True(schedule.LearningRate(Base, t + 1) <= schedule.LearningRate(Base, t), $"never rises after warm-up, at {t}");
    }

    [Fact]
    public void WarmupCosineScheduleWithoutWarmupIsTheCosineSchedule()
    {
        var warmupCosine = new WarmupCosineSchedule(0, 20, 0.002);
        var cosine = new CosineSchedule(20, 0.002);
        for (int t = 0; t < 30; t++)
            Assert.Equal(cosine.LearningRate(Base, t), warmupCosine.LearningRate(Base, t));
        Assert.Equal(Base, warmupCosine.LearningRate(Base, 0));
    }

    [Fact]
    public void SchedulesScaleWithTheBaseRate()
    {
        LearningRateSchedule[] schedules =
        [
            new StepSchedule(2, 0.3), new ExponentialSchedule(0.95), new CosineSchedule(7), new WarmupCosineSchedule(3, 11),
        ];
        foreach (LearningRateSchedule schedule in schedules)
        {
            for (int t = 0; t < 15; t++)
                AssertRelative(4 * schedule.LearningRate(0.25, t), schedule.LearningRate(1.0, t), FormulaTolerance, $"{schedule} at {t}");
        }
    }

    [Fact]
    public void ConstructorsValidateArguments()
    {
        AssertOutOfRange("stepSize", () => new StepSchedule(0));
        AssertOutOfRange("stepSize", () => new StepSchedule(-3));
        AssertOutOfRange("gamma", () => new StepSchedule(1, gamma: 0));
        AssertOutOfRange("gamma", () => new StepSchedule(1, gamma: -0.5));
        AssertOutOfRange("gamma", () => new StepSchedule(1, gamma: double.NaN));
        AssertOutOfRange("gamma", () => new ExponentialSchedule(0));
        AssertOutOfRange("gamma", () => new ExponentialSchedule(-0.9));
        AssertOutOfRange("gamma", () => new ExponentialSchedule(double.PositiveInfinity));
        AssertOutOfRange("period", () => new CosineSchedule(0));
        AssertOutOfRange("minLearningRate", () => new CosineSchedule(10, -1e-6));
        AssertOutOfRange("minLearningRate", () => new CosineSchedule(10, double.NaN));
        AssertOutOfRange("totalSteps", () => new WarmupCosineSchedule(10, 10));
        AssertOutOfRange("totalSteps", () => new WarmupCosineSchedule(10, 5));
        AssertOutOfRange("totalSteps", () => new WarmupCosineSchedule(0, 0));
        AssertOutOfRange("warmupSteps", () => new WarmupCosineSchedule(-1, 10));
        AssertOutOfRange("minLearningRate", () => new WarmupCosineSchedule(1, 10, -0.1));
        AssertOutOfRange("interval", () => new CosineSchedule(10, interval: (ScheduleInterval)7));

        // The boundaries themselves are accepted.
        Assert.Equal(1, new StepSchedule(1).StepSize);
        Assert.Equal(1, new CosineSchedule(1).Period);
        Assert.Equal(1, new WarmupCosineSchedule(0, 1).TotalSteps);
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected)))
            Assert.Fail($"{what}: expected {expected:R} but got {actual:R}.");
    }

    private static void AssertOutOfRange(string parameter, Func<object> create)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.Equal(parameter, error.ParamName);
    }
}
