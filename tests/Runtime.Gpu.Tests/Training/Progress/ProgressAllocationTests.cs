using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Training.Progress;
using Xunit;

namespace Dsl.Tests.Training.Progress;

/// <summary>
/// Update runs once per training step, so a throttled-away update allocates nothing at all, and
/// a drawn one nothing either once its buffers have grown (the writer here discards the text, so
/// only the renderer's own allocations are counted).
/// </summary>
public sealed class ProgressAllocationTests
{
    private static readonly KeyValuePair<string, double>[] Metrics =
        [new("train_loss", 0.12344), new("lr", 1e-4), new("epoch", 3)];

    private readonly FakeClock _clock = new();

    [Fact]
    public void ThrottledInteractiveUpdatesAllocateNothing()
    {
        CountingWriter output = new();
        using ProgressRenderer progress = new(output, interactive: true, _clock.Read, width: 120, unicode: true);
        progress.StartStage("Epoch 1/1", 100_000);
        _clock.Advance(100);
        progress.Update(1, Metrics);
        int redraws = output.CarriageReturns;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 2; step < 10_000; step++)
            progress.Update(step, Metrics);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(redraws, output.CarriageReturns); // all throttled
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PlainUpdatesBetweenIntervalLinesAllocateNothing()
    {
        using ProgressRenderer progress = new(TextWriter.Null, interactive: false, _clock.Read, unicode: true);
        progress.StartStage("Epoch 1/1", 100_000);
        progress.Update(1, Metrics);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 2; step < 10_000; step++)
        {
            _clock.Advance(0.5); // 5 s in all: under the 10 s interval
            progress.Update(step, Metrics);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void DrawnUpdatesAllocateNothingOnceWarm()
    {
        CountingWriter output = new();
        using ProgressRenderer progress = new(output, interactive: true, _clock.Read, width: 120, unicode: true);
        progress.StartStage("Epoch 1/1", 100_000);
        _clock.Advance(100);
        progress.Update(1, Metrics);
        int redraws = output.CarriageReturns;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 2; step < 1_000; step++)
        {
            _clock.Advance(100);
            progress.Update(step, Metrics);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(redraws + 998, output.CarriageReturns); // every one drawn
        Assert.Equal(0, allocated);
    }
}
