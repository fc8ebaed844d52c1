using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Optimizers;

/// <summary>
/// Restoring an optimizer state through its public surface (<see cref="OptimizerState.Buffers"/>
/// and <see cref="OptimizerState.Step"/>), as a checkpoint does, continues the run bit for bit.
/// </summary>
public sealed class OptimizerStateRestoreTests
{
    private const int TotalUpdates = 5;
    private const int UpdatesBeforeRestore = 3;

    public static TheoryData<string, int> Configurations
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string configuration in new[] { "adam", "adamw", "sgd-nesterov", "sgd-momentum-scheduled", "adamw-warmup-cosine" })
            {
                data.Add(configuration, 37); // vector lanes and a scalar tail
                data.Add(configuration, 70_001); // split across cores
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ARestoredStateContinuesBitForBit(string configuration, int count)
    {
        Optimizer optimizer = Create(configuration);
        float[] initial = RandomVector(new Random(17), count);
        float[][] gradients = Enumerable.Range(0, TotalUpdates).Select(k => RandomVector(new Random(100 + k), count)).ToArray();

        // A: the uninterrupted run.
        OptimizerState a = optimizer.CreateState(count);
        float[] parametersA = (float[])initial.Clone();
        for (int k = 0; k < TotalUpdates; k++)
            a.Update(parametersA, gradients[k]);

        // C: the run that is checkpointed after three updates.
        OptimizerState c = optimizer.CreateState(count);
        float[] parametersC = (float[])initial.Clone();
        for (int k = 0; k < UpdatesBeforeRestore; k++)
            c.Update(parametersC, gradients[k]);

        // B: a fresh state restored from C's parameters, buffers and step, then run for updates 4 and 5.
        OptimizerState b = optimizer.CreateState(count);
        float[] parametersB = (float[])parametersC.Clone();
        Assert.Equal(c.Buffers.Select(buffer => buffer.Name), b.Buffers.Select(buffer => buffer.Name));
        for (int i = 0; i < c.Buffers.Count; i++)
            c.Buffers[i].Values.CopyTo(b.Buffers[i].Values);
        b.Step = c.Step;
        Assert.Equal(UpdatesBeforeRestore, b.Step);
        Assert.Equal(c.LearningRate, b.LearningRate);
        for (int k = UpdatesBeforeRestore; k < TotalUpdates; k++)
            b.Update(parametersB, gradients[k]);

        Assert.Equal(a.Step, b.Step);
        AssertBitIdentical(parametersA, parametersB, "parameters");
        for (int i = 0; i < a.Buffers.Count; i++)
            AssertBitIdentical(a.Buffers[i].Values.ToArray(), b.Buffers[i].Values.ToArray(), a.Buffers[i].Name);

        // Without the restore the continuation differs, so the comparison above is not vacuous.
        OptimizerState fresh = optimizer.CreateState(count);
        float[] parametersFresh = (float[])parametersC.Clone();
        for (int k = UpdatesBeforeRestore; k < TotalUpdates; k++)
            fresh.Update(parametersFresh, gradients[k]);
        Assert.False(parametersFresh.SequenceEqual(parametersA), "an unrestored state should not reproduce the run");
    }

    [Fact]
    public void BufferNamesFollowPyTorch()
    {
        Assert.Equal(new[] { "exp_avg", "exp_avg_sq" }, Names(new Adam()));
        Assert.Equal(new[] { "exp_avg", "exp_avg_sq" }, Names(new AdamW()));
        Assert.Equal(new[] { "momentum_buffer" }, Names(new Sgd(0.1f, momentum: 0.9f)));
        Assert.Equal(new[] { "momentum_buffer" }, Names(new Sgd(0.1f, momentum: 0.9f, nesterov: true)));
        Assert.Equal(new[] { "momentum_buffer" }, Names(new Sgd(0.1f, momentum: 0.5f, dampening: 0.1f)));
        Assert.Empty(Names(new Sgd(0.1f)));
        Assert.Empty(Names(new Sgd(0.1f, weightDecay: 0.01f)));

        static IEnumerable<string> Names(Optimizer optimizer) => optimizer.CreateState(3).Buffers.Select(buffer => buffer.Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(70_001)]
    public void BuffersAreLaidOutLikeTheParameters(int count)
    {
        foreach (Optimizer optimizer in new Optimizer[] { new Adam(), new AdamW(), new Sgd(0.1f, momentum: 0.9f) })
        {
            OptimizerState state = optimizer.CreateState(count);
            Assert.Equal(count, state.ParameterCount);
            Assert.NotEmpty(state.Buffers);
            foreach (OptimizerBuffer buffer in state.Buffers)
            {
                Assert.Equal(count, buffer.Values.Length);
                Assert.All(buffer.Values.ToArray(), value => Assert.Equal(0f, value));
            }
        }
    }

    [Fact]
    public void AdamsTwoBuffersDoNotOverlap()
    {
        OptimizerState state = new Adam().CreateState(4);
        state.Buffers[0].Values.Span.Fill(1f);
        state.Buffers[1].Values.Span.Fill(2f);
        Assert.All(state.Buffers[0].Values.ToArray(), value => Assert.Equal(1f, value));
        Assert.All(state.Buffers[1].Values.ToArray(), value => Assert.Equal(2f, value));
    }

    [Fact]
    public void BuffersAreLiveViewsOfTheState()
    {
        // The buffer after a step is the state's, and writing it changes the next step.
        var optimizer = new Sgd(1f, momentum: 0.5f);
        OptimizerState state = optimizer.CreateState(1);
        float[] p = [0], g = [1];
        state.Update(p, g); // b = 1, p = -1
        Assert.Equal(1f, state.Buffers[0].Values.Span[0]);
        state.Buffers[0].Values.Span[0] = 10f;
        state.Update(p, g); // b = 0.5 * 10 + 1 = 6, p = -1 - 6
        Assert.Equal(6f, state.Buffers[0].Values.Span[0]);
        Assert.Equal(-7f, p[0]);
    }

    [Fact]
    public void StepRejectsNegativeValues()
    {
        foreach (Optimizer optimizer in new Optimizer[] { new Adam(), new AdamW(), new Sgd(0.1f, momentum: 0.9f), new Sgd(0.1f) })
        {
            OptimizerState state = optimizer.CreateState(2);
            state.Step = 4;
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => state.Step = -1);
            Assert.Equal("Step", error.ParamName);
            Assert.Equal(4, state.Step);
            Assert.Throws<ArgumentOutOfRangeException>(() => state.Step = long.MinValue);
            state.Step = 0;
            Assert.Equal(0, state.Step);
        }
    }

    private static Optimizer Create(string configuration) => configuration switch
    {
        "adam" => new Adam(1e-2f, weightDecay: 0.05f),
        "adamw" => new AdamW(1e-2f, weightDecay: 0.1f),
        "sgd-nesterov" => new Sgd(0.05f, momentum: 0.9f, nesterov: true),
        "sgd-momentum-scheduled" => new Sgd(0.05f, momentum: 0.8f, dampening: 0.2f)
        {
            Schedule = new StepSchedule(stepSize: 2, gamma: 0.5, interval: ScheduleInterval.Step),
        },
        "adamw-warmup-cosine" => new AdamW(3e-3f, weightDecay: 0.1f)
        {
            Schedule = new WarmupCosineSchedule(warmupSteps: 2, totalSteps: 6, minLearningRate: 1e-4),
        },
        _ => throw new ArgumentException(configuration),
    };

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
