using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Training.Progress;
using Xunit;

namespace Dsl.Tests.Training.Progress;

/// <summary>
/// The log display (output redirected, CI): whole lines only, no '\r' and no escape codes; one
/// line per stage, plus one intermediate line per interval (10 s by default) in long stages.
/// </summary>
public sealed class PlainProgressTests
{
    private static readonly KeyValuePair<string, double>[] None = [];
    private static readonly string NewLine = Environment.NewLine;
    private static readonly KeyValuePair<string, double>[] Losses =
        [new("train_loss", 0.12344), new("val_loss", 0.23449)];
    private readonly FakeClock _clock = new();
    private readonly StringWriter _output = new();

    private ProgressRenderer Create(TimeSpan? interval = null) =>
        new(_output, interactive: false, _clock.Read, interval, unicode: true);

    private void RunStage(ProgressRenderer progress, string description, int steps, double millisecondsPerStep)
    {
        progress.StartStage(description, steps);
        for (int step = 1; step <= steps; step++)
        {
            _clock.Advance(millisecondsPerStep);
            progress.Update(step, Losses);
        }

        progress.EndStage(Losses);
    }

    [Fact]
    public void AStageIsOneLineWithCountElapsedRateAndMetrics()
    {
        using ProgressRenderer progress = Create();
        RunStage(progress, "Epoch 3/20", 60, 54); // 60 steps in 3.24 s

        Assert.Equal("Epoch 3/20: 60/60 [00:03, 18.52it/s] train_loss=0.1234 val_loss=0.2345" + NewLine, _output.ToString());
    }

    [Fact]
    public void EachStageAddsOneLineAndNoCarriageReturnOrEscape()
    {
        using ProgressRenderer progress = Create();
        RunStage(progress, "Epoch 1/2", 100, 30);
        RunStage(progress, "Validation", 20, 10);
        RunStage(progress, "Epoch 2/2", 100, 30);

        string text = _output.ToString();
        Assert.DoesNotContain("\r", text.Replace(NewLine, "\n"));
        Assert.DoesNotContain("\u001b", text);
        Assert.Equal(
            [
                "Epoch 1/2: 100/100 [00:03, 33.33it/s] train_loss=0.1234 val_loss=0.2345",
                "Validation: 20/20 [00:00, 100.00it/s] train_loss=0.1234 val_loss=0.2345",
                "Epoch 2/2: 100/100 [00:03, 33.33it/s] train_loss=0.1234 val_loss=0.2345",
                "",
            ],
            text.Split(NewLine));
    }

    [Fact]
    public void ALongStagePrintsOneIntermediateLinePerInterval()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 100);
        for (int step = 1; step <= 25; step++)
        {
            _clock.Advance(1000);
            progress.Update(step, Losses);
        }

        progress.EndStage(Losses);

        Assert.Equal(
            "Epoch 1/1: 10/100 [00:10<01:30, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine
                + "Epoch 1/1: 20/100 [00:20<01:20, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine
                + "Epoch 1/1: 25/100 [00:25, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine,
            _output.ToString());
    }

    [Fact]
    public void TheIntervalCanBeChosen()
    {
        using ProgressRenderer progress = Create(TimeSpan.FromSeconds(3));
        RunStage(progress, "Epoch 1/1", 7, 1000);

        Assert.Equal(
            "Epoch 1/1: 3/7 [00:03<00:04, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine
                + "Epoch 1/1: 6/7 [00:06<00:01, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine
                + "Epoch 1/1: 7/7 [00:07, 1.00it/s] train_loss=0.1234 val_loss=0.2345" + NewLine,
            _output.ToString());
    }

    [Fact]
    public void TheLastStepPrintsNoIntermediateLineOfItsOwn()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 2);
        _clock.Advance(30_000);
        progress.Update(2, None); // past the interval, but EndStage says it

        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public void UnknownTotalPrintsCountElapsedAndRate()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Validation", null);
        _clock.Advance(1000);
        progress.Update(7, None);
        progress.EndStage([new("val_loss", 1e-4)]);

        Assert.Equal("Validation: 7it [00:01, 7.00it/s] val_loss=1.00e-04" + NewLine, _output.ToString());
    }

    [Fact]
    public void WriteLineIsJustALine()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 10);
        progress.WriteLine("Saved checkpoint epoch=0.ckpt");

        Assert.Equal("Saved checkpoint epoch=0.ckpt" + NewLine, _output.ToString());
    }
}
