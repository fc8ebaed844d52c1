using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Optimizers;

/// <summary>
/// An optimizer with a declared <see cref="Optimizer.Schedule"/>: the rate of each update, and
/// <see cref="OptimizerState.LearningRate"/> before it, follow the schedule at the state's step or epoch.
/// </summary>
public sealed class ScheduledOptimizerTests
{
    private const float BaseRate = 0.1f;

    [Theory]
    [InlineData(37)] // vector lanes and a scalar tail
    [InlineData(70_001)] // above FusedUpdate.ParallelThreshold: split across cores
    public void SgdMovesByTheScheduledRateAtEachStep(int count)
    {
        var optimizer = new Sgd(BaseRate) { Schedule = new StepSchedule(stepSize: 2, gamma: 0.5, interval: ScheduleInterval.Step) };
        OptimizerState state = optimizer.CreateState(count);
        Assert.Empty(state.Buffers);
        var random = new Random(1234);
        float[] parameters = RandomVector(random, count);

        for (int t = 0; t < 9; t++)
        {
            // lr_t = base * 0.5^floor(t / 2); halving a float is exact, so this is the float rate.
            float rate = BaseRate / (1 << (t / 2));
            Assert.Equal(rate, (float)((double)BaseRate * Math.Pow(0.5, t / 2)));
            Assert.Equal(t, state.Step);
            Assert.Equal(rate, state.LearningRate);
            Assert.Equal((float)optimizer.Schedule.LearningRate(optimizer.LearningRate, t), state.LearningRate);

            float[] gradients = RandomVector(random, count);
            float[] gradientsBefore = (float[])gradients.Clone();
            // Sgd without momentum or decay: p = fma(-lr, g, p), one rounding.
            float[] expected = parameters.Select((p, i) => MathF.FusedMultiplyAdd(-rate, gradients[i], p)).ToArray();
            state.Update(parameters, gradients);

            AssertBitIdentical(expected, parameters, $"update at step {t}");
            AssertBitIdentical(gradientsBefore, gradients, $"gradients at step {t}");
        }

        Assert.Equal(9, state.Step);
        Assert.Equal(BaseRate / 16, state.LearningRate);
    }

    [Fact]
    public void TheScheduleScalesTheCurrentBaseRate()
    {
        var optimizer = new Sgd(1f) { Schedule = new StepSchedule(stepSize: 1, gamma: 0.5, interval: ScheduleInterval.Step) };
        OptimizerState state = optimizer.CreateState(1);
        float[] p = [0], g = [1];
        Assert.Equal(1f, state.LearningRate);
        state.Update(p, g); // lr 1
        Assert.Equal(0.5f, state.LearningRate);
        optimizer.LearningRate = 4f;
        Assert.Equal(2f, state.LearningRate);
        state.Update(p, g); // lr 4 * 0.5
        Assert.Equal(-3f, p[0]);
        Assert.Equal(1f, state.LearningRate); // 4 * 0.25
    }

    [Fact]
    public void WithoutAScheduleTheRateIsTheBaseRate()
    {
        var optimizer = new Sgd(0.3f);
        OptimizerState state = optimizer.CreateState(2);
        Assert.Null(optimizer.Schedule);
        float[] p = [1, 2], g = [0.5f, -0.25f];
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(0.3f, state.LearningRate);
            state.Update(p, g);
        }

        state.Epoch = 7;
        Assert.Equal(0.3f, state.LearningRate);
    }

    [Fact]
    public void AnEpochScheduleChangesOnlyWhenTheEpochIsSet()
    {
        var optimizer = new Sgd(BaseRate) { Schedule = new StepSchedule(stepSize: 1, gamma: 0.5) };
        Assert.Equal(ScheduleInterval.Epoch, optimizer.Schedule.Interval);
        OptimizerState state = optimizer.CreateState(3);
        float[] parameters = [0.5f, -1.25f, 2f], gradients = [0.3f, -0.7f, 1.1f];

        Assert.Equal(0, state.Epoch);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            state.Epoch = epoch;
            float rate = BaseRate / (1 << epoch);
            for (int update = 0; update < 3; update++)
            {
                // Updates advance the step but not the rate.
                Assert.Equal(rate, state.LearningRate);
                float[] expected = parameters.Select((p, i) => MathF.FusedMultiplyAdd(-rate, gradients[i], p)).ToArray();
                state.Update(parameters, gradients);
                AssertBitIdentical(expected, parameters, $"epoch {epoch}, update {update}");
            }

            Assert.Equal(rate, state.LearningRate);
        }

        Assert.Equal(12, state.Step);

        // Setting the epoch back (restoring a checkpoint) restores the rate.
        state.Epoch = 1;
        Assert.Equal(BaseRate / 2, state.LearningRate);
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Epoch = -1);
        Assert.Equal(1, state.Epoch);
    }

    [Fact]
    public void AStepScheduleIgnoresTheEpoch()
    {
        var optimizer = new Sgd(1f) { Schedule = new ExponentialSchedule(0.5, ScheduleInterval.Step) };
        OptimizerState state = optimizer.CreateState(1);
        state.Epoch = 5;
        Assert.Equal(1f, state.LearningRate);
        state.Update(new float[1], new float[1]);
        Assert.Equal(0.5f, state.LearningRate);
        state.Epoch = 0;
        Assert.Equal(0.5f, state.LearningRate);
    }

    [Fact]
    public void SettingTheStepMovesAStepSchedule()
    {
        var optimizer = new Adam(1e-3f) { Schedule = new WarmupCosineSchedule(warmupSteps: 4, totalSteps: 20, minLearningRate: 1e-5) };
        OptimizerState state = optimizer.CreateState(5);
        for (long step = 0; step < 25; step++)
        {
            state.Step = step;
            Assert.Equal((float)optimizer.Schedule.LearningRate(1e-3f, step), state.LearningRate);
        }

        state.Step = 0;
        Assert.Equal(1e-3f / 4, state.LearningRate);
        state.Step = 100;
        Assert.Equal(1e-5f, state.LearningRate);
    }

    private static float[] RandomVector(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}, element {i}: expected {expected[i]:R} but got {actual[i]:R}.");
        }
    }
}
