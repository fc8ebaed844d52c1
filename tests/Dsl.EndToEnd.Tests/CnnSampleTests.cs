using System;
using System.IO;
using Cnn;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>
/// The Cnn sample's job on the real digits, cut to three epochs to keep CI short (the sample's
/// full run, early-stopped, is what docs/layers.md states): it must learn, on Digits' split.
/// </summary>
public sealed class CnnSampleTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"cnn-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output))
            Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public void TheCnnSampleLearnsTheDigitsInThreeEpochs()
    {
        var outcome = CnnTraining.Run(new CnnTraining.Settings(
            Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), _output, MaxEpochs: 3, ProgressOutput: new StringWriter()));

        Assert.Equal((1258, 270, 269), outcome.Examples); // the same split as samples/Digits
        Assert.Equal(3, outcome.Fit.Epochs);
        Assert.True(outcome.Test["test_acc"] >= 0.93, $"test accuracy after 3 epochs {outcome.Test["test_acc"]:P2}");
    }
}
