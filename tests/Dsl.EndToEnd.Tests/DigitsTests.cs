using System;
using System.IO;
using Digits;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>The Digits sample on real data: the compiled MLP must generalise, not just fit.</summary>
public class DigitsTests
{
    [Fact]
    public void TheDigitsSampleReachesAtLeast96PercentOnHeldOutDigits()
    {
        DigitsData all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
        Assert.Equal(1797, all.Count);
        var (train, test) = all.Split(trainFraction: 0.8, seed: 0);

        var model = new DigitsClassifier(seed: 0);
        using DigitsClassifier.Program program = model.Compile(Device.Cpu, maxBatch: test.Count);
        for (int epoch = 0; epoch < 30; epoch++)
            for (int start = 0; start + 64 <= train.Count; start += 64)
                program.TrainStep(train.Pixels.AsSpan(start * 64, 64 * 64), train.Labels.AsSpan(start, 64));

        program.EvalStep(test.Pixels, test.Labels);
        Assert.True(program.Metrics["val_acc"] >= 0.96f, $"held-out accuracy {program.Metrics["val_acc"]:P1}");
    }

    [Fact]
    public void AMalformedLineNamesTheFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}.csv.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
            writer.Write("1,2,3\n");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => DigitsData.Load(path));
            Assert.Contains(path + ":1", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
