using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dsl.Training.Progress;
using Xunit;

namespace Dsl.Tests.Training.Progress;

/// <summary>
/// The terminal display: one line redrawn in place with '\r', throttled to ten redraws a second,
/// sized to the terminal, left on screen with a newline when the stage ends. Width 80 leaves 79
/// columns for the line, so a 40-step stage with no metrics has the widest (40-cell) bar.
/// </summary>
public sealed class InteractiveProgressTests
{
    private static readonly KeyValuePair<string, double>[] None = [];
    private static readonly string NewLine = Environment.NewLine;
    private readonly FakeClock _clock = new();
    private readonly StringWriter _output = new();

    private ProgressRenderer Create(int width = 80, bool unicode = true) =>
        new(_output, interactive: true, _clock.Read, width: width, unicode: unicode);

    private static KeyValuePair<string, double>[] Metrics(params (string Name, double Value)[] metrics) =>
        metrics.Select(m => new KeyValuePair<string, double>(m.Name, m.Value)).ToArray();

    private static string Spaces(int count) => new(' ', count);

    private static string Blocks(int count) => new('█', count);

    [Fact]
    public void StartDrawsAnEmptyBarWithUnknownTimeLeft()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);

        Assert.Equal("\rEpoch 1/4:   0%|" + Spaces(40) + "| 0/40 [00:00<?, ?it/s]", _output.ToString());
    }

    [Fact]
    public void RateAndTimeLeftComeFromTheClock()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);
        string start = _output.ToString();
        _clock.Advance(2000);
        progress.Update(10, None);

        // 10 steps in 2 s: 5 steps a second, so the 30 left take 6 s. The right part takes 30
        // columns, leaving a 32-cell bar of which a quarter (8 cells) is full.
        Assert.Equal(
            "\rEpoch 1/4:  25%|" + Blocks(8) + Spaces(24) + "| 10/40 [00:02<00:06, 5.00it/s]",
            _output.ToString()[start.Length..]);
    }

    [Fact]
    public void MetricsFollowTheRateAndTheBarShrinksToFit()
    {
        using ProgressRenderer progress = Create(width: 100);
        progress.StartStage("Epoch 3/20", 60);
        string start = _output.ToString();
        _clock.Advance(1620);
        progress.Update(30, Metrics(("train_loss", 0.12344), ("val_loss", 0.23449)));

        // 99 columns - 16 (left) - 67 (right) - 2 (bar edges) = a 14-cell bar, half full.
        Assert.Equal(
            "\rEpoch 3/20:  50%|" + Blocks(7) + Spaces(7)
                + "| 30/60 [00:01<00:01, 18.52it/s, train_loss=0.1234, val_loss=0.2345]",
            _output.ToString()[start.Length..]);
    }

    [Fact]
    public void UpdatesWithinATenthOfASecondOfTheLastDrawAreNotDrawn()
    {
        CountingWriter output = new();
        using ProgressRenderer progress = new(output, interactive: true, _clock.Read, width: 80, unicode: true);
        progress.StartStage("Epoch 1/1", 1000);
        Assert.Equal(1, output.CarriageReturns);

        _clock.Advance(100);
        for (int step = 1; step <= 50; step++)
        {
            progress.Update(step, None); // 100 ms .. 193.1 ms: only the first is 100 ms after the start's draw
            _clock.Advance(1.9);
        }

        Assert.Equal(2, output.CarriageReturns);

        _clock.Now = TimeSpan.FromMilliseconds(200);
        progress.Update(51, None);
        Assert.Equal(3, output.CarriageReturns);
    }

    [Fact]
    public void TheLastStepIsAlwaysDrawn()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);
        _clock.Advance(4000);
        progress.Update(39, None);
        string drawn = _output.ToString();
        progress.Update(40, None); // no time since the last draw, but the stage is complete

        Assert.Equal("\rEpoch 1/4: 100%|" + Blocks(31) + "| 40/40 [00:04<00:00, 10.00it/s]", _output.ToString()[drawn.Length..]);
    }

    [Fact]
    public void EndStageRedrawsWithTheFinalMetricsAndKeepsTheLine()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);
        _clock.Advance(4000);
        progress.Update(40, Metrics(("train_loss", 0.5)));
        string drawn = _output.ToString();
        progress.EndStage(Metrics(("train_loss", 0.5), ("val_loss", 0.25)));

        // 79 - 15 - 70 - 2 leaves no room for a 10-cell bar, so the line goes without one.
        Assert.Equal(
            "\rEpoch 1/4: 100% 40/40 [00:04<00:00, 10.00it/s, train_loss=0.5000, val_loss=0.2500]"[..80] + NewLine,
            _output.ToString()[drawn.Length..]);
    }

    [Fact]
    public void UnknownTotalShowsCountElapsedAndRateOnly()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Validation", null);
        _clock.Advance(1000);
        progress.Update(7, Metrics(("val_loss", 0.25)));

        Assert.Equal(
            "\rValidation: 0it [00:00, ?it/s]\rValidation: 7it [00:01, 7.00it/s, val_loss=0.2500]",
            _output.ToString());
    }

    [Fact]
    public void AShorterLineBlanksWhatWasLeftOfTheLongerOne()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Validation", null);
        _clock.Advance(1000);
        progress.Update(5, Metrics(("val_loss", 0.25)));
        string drawn = _output.ToString();
        _clock.Advance(1000);
        progress.Update(6, None);

        string longer = "Validation: 5it [00:01, 5.00it/s, val_loss=0.2500]";
        string shorter = "Validation: 6it [00:02, 3.00it/s]";
        Assert.Equal("\r" + shorter + Spaces(longer.Length - shorter.Length), _output.ToString()[drawn.Length..]);
    }

    [Fact]
    public void ANarrowTerminalDropsTheBarAndCutsTheLineShortOfTheLastColumn()
    {
        using ProgressRenderer progress = Create(width: 40);
        progress.StartStage("Epoch 12/100", 1000);
        string start = _output.ToString();
        _clock.Advance(5000);
        progress.Update(500, Metrics(("train_loss", 0.1234)));

        Assert.Equal("\rEpoch 12/100:  50% 500/1000 [00:05<00:0", _output.ToString()[start.Length..]);
        Assert.All(_output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries), line => Assert.True(line.Length <= 39));
    }

    [Fact]
    public void AsciiOutputDrawsTheBarWithHashes()
    {
        using ProgressRenderer progress = Create(unicode: false);
        progress.StartStage("Epoch 1/4", 40);
        string start = _output.ToString();
        _clock.Advance(2000);
        progress.Update(13, None);

        // A 32-cell bar at 32.5% fills 10.4 cells: 10 are drawn, ASCII has no partial cell.
        Assert.Equal(
            "\rEpoch 1/4:  32%|" + new string('#', 10) + Spaces(22) + "| 13/40 [00:02<00:04, 6.50it/s]",
            _output.ToString()[start.Length..]);
        Assert.All(_output.ToString(), c => Assert.True(c < 128));
    }

    [Fact]
    public void WriteLineBlanksTheBarWritesTheMessageAndRedrawsTheBarBelow()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);
        string start = _output.ToString();
        _clock.Advance(2000);
        progress.WriteLine("Saved checkpoint epoch=0.ckpt");

        Assert.Equal(
            "\r" + Spaces(79) + "\r" + "Saved checkpoint epoch=0.ckpt" + NewLine
                + "\rEpoch 1/4:   0%|" + Spaces(40) + "| 0/40 [00:02<?, ?it/s]",
            _output.ToString()[start.Length..]);
    }

    [Fact]
    public void WriteLineWithNoStageOnlyWritesTheMessage()
    {
        using ProgressRenderer progress = Create();
        progress.WriteLine("Sanity check passed");
        progress.StartStage("Epoch 1/1", 1);
        progress.EndStage(None);
        progress.WriteLine("Done");

        Assert.StartsWith("Sanity check passed" + NewLine + "\r", _output.ToString());
        Assert.EndsWith("]" + NewLine + "Done" + NewLine, _output.ToString());
    }

    [Fact]
    public void StartingAStageWhileOneIsOpenKeepsTheOpenLine()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/4", 40);
        string first = _output.ToString();
        progress.StartStage("Validation", null);

        Assert.Equal(first + NewLine + "\rValidation: 0it [00:00, ?it/s]", _output.ToString());
    }

    [Fact]
    public void DisposeEndsAnOpenLineButAddsNothingAfterAnEndedStage()
    {
        ProgressRenderer open = Create();
        open.StartStage("Epoch 1/4", 40);
        open.Dispose();
        Assert.EndsWith("?it/s]" + NewLine, _output.ToString());

        StringWriter other = new();
        ProgressRenderer ended = new(other, interactive: true, _clock.Read, width: 80, unicode: true);
        ended.StartStage("Epoch 1/1", 1);
        ended.EndStage(None);
        string text = other.ToString();
        ended.Dispose();
        Assert.Equal(text, other.ToString());
        Assert.Throws<ObjectDisposedException>(() => ended.StartStage("Epoch 2/2", 1));
    }
}
