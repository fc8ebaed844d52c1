using System;
using System.IO;
using System.Linq;
using Digits;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>The Digits sample's whole job on the real data: train, early-stop, checkpoint, log, test.</summary>
public sealed class DigitsTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output))
            Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public void TheDigitsSampleReachesAtLeast96PercentOnTheHeldOutTestSplit()
    {
        var progress = new StringWriter();
        var outcome = DigitsTraining.Run(new DigitsTraining.Settings(
            Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), _output, MaxEpochs: 100, ProgressOutput: progress));

        Assert.Equal((1258, 270, 269), outcome.Examples);
        Assert.True(outcome.Test["test_acc"] >= 0.96, $"test accuracy {outcome.Test["test_acc"]:P2}");
        Assert.True(File.Exists(outcome.BestCheckpoint));
        Assert.StartsWith("digits-epoch=", Path.GetFileName(outcome.BestCheckpoint));
        Assert.True(File.Exists(Path.Combine(_output, "checkpoints", "last.safetensors")));

        string csv = Directory.GetFiles(Path.Combine(_output, "logs"), "metrics.csv", SearchOption.AllDirectories).Single();
        string header = File.ReadLines(csv).First();
        Assert.Contains("train_loss", header);
        Assert.Contains("val_acc", header);
        Assert.Contains("lr-Adam", header);
        Assert.Contains("test_acc", header);
        Assert.Single(Directory.GetFiles(Path.Combine(_output, "runs"), "events.out.tfevents.*", SearchOption.AllDirectories));

        // One plain progress line per epoch (output is not a terminal).
        string[] lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(outcome.Fit.Epochs, lines.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)));
        Assert.DoesNotContain('\r', progress.ToString());
    }
}
