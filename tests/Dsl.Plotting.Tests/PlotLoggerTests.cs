using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using QuickStart;
using Xunit;

namespace Dsl.Plotting.Tests;

public sealed class PlotLoggerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FitLeavesAPngOfTheStatedSizeRedrawnAtEachValidation()
    {
        var plot = new PlotLogger(Path.Combine(_temp.Path, "plots"), width: 640, height: 720);
        var seen = new PictureAtValidation(plot.PlotPath);
        var options = new TrainerOptions
        {
            MaxEpochs = 3, LogEveryNSteps = 1, EnableProgressBar = false,
            Callbacks = { new LearningRateMonitor(), seen },
            Loggers = { plot },
        };
        using (var trainer = new Trainer(options))
            trainer.Fit(new Classifier(seed: 42), Loader(seed: 1), Loader(seed: 2));

        // One picture per validation, each with that validation's point added, so each differs.
        Assert.Equal(3, seen.Pictures.Count);
        foreach (byte[] picture in seen.Pictures)
            Assert.Equal((640, 720), Png.Size(picture));
        Assert.Equal(3, seen.Pictures.Select(Convert.ToBase64String).Distinct().Count());

        byte[] last = File.ReadAllBytes(plot.PlotPath);
        Assert.Equal((640, 720), Png.Size(last));
        // The epoch means logged after the last validation are drawn too, by the end of Fit.
        Assert.NotEqual(seen.Pictures[^1], last);
        // Written through a temp file that was renamed, so nothing else is left in the directory.
        Assert.Equal([PlotLogger.PlotFileName], Directory.GetFiles(plot.LogDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void FlushWithoutNewMetricsDoesNotRedraw()
    {
        using var plot = new PlotLogger(_temp.Path, width: 300, height: 200);
        plot.Flush();
        Assert.False(File.Exists(plot.PlotPath));
        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.7, ["epoch"] = 0 }, 1);
        plot.Flush();
        plot.Flush();
        Assert.Equal(1, plot.PlotsWritten);
        Assert.Equal((300, 200), Png.Size(File.ReadAllBytes(plot.PlotPath)));
    }

    [Fact]
    public void AReaderThatOpenedThePictureBeforeARedrawStillReadsTheWholeOldOne()
    {
        using var plot = new PlotLogger(_temp.Path, width: 300, height: 200);
        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.7 }, 1);
        plot.Flush();
        byte[] before = File.ReadAllBytes(plot.PlotPath);

        // A new file renamed over the old one leaves an open reader on the old, whole file; a
        // write in place (truncate, then write) would show it the new bytes or a part of them.
        using var reader = new FileStream(plot.PlotPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.5 }, 2);
        plot.Flush();
        using var copy = new MemoryStream();
        reader.CopyTo(copy);

        Assert.Equal(before, copy.ToArray());
        Assert.NotEqual(before, File.ReadAllBytes(plot.PlotPath));
    }

    [UnreplaceableFileFact]
    public void AFailedWriteNamesTheFileAndLeavesThePreviousPictureWhole()
    {
        using var plot = new PlotLogger(_temp.Path, width: 300, height: 200);
        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.7 }, 1);
        plot.Flush();
        byte[] before = File.ReadAllBytes(plot.PlotPath);

        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.5 }, 2);
        using (Unreplaceable(plot.PlotPath))
        {
            var e = Assert.Throws<IOException>(plot.Flush);
            Assert.Contains(plot.PlotPath, e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllBytes(plot.PlotPath));
        Assert.Equal([PlotLogger.PlotFileName], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
        // The points stay buffered: once the file can be replaced, the next flush draws them.
        plot.Flush();
        Assert.NotEqual(before, File.ReadAllBytes(plot.PlotPath));
    }

    [Fact]
    public void ADirectoryThatCannotBeMadeIsAnExceptionNamingIt()
    {
        string file = Path.Combine(_temp.Path, "a-file");
        File.WriteAllText(file, "");
        string directory = Path.Combine(file, "plots");
        var e = Assert.Throws<IOException>(() => new PlotLogger(directory));
        Assert.Contains(directory, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryThatVanishesIsAnExceptionNamingThePicture()
    {
        string directory = Path.Combine(_temp.Path, "plots");
        using var plot = new PlotLogger(directory);
        // A file where the directory was: the picture cannot be written under it.
        Directory.Delete(directory);
        File.WriteAllText(directory, "");
        plot.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.7 }, 1);
        var e = Assert.Throws<IOException>(plot.Flush);
        Assert.Contains(plot.PlotPath, e.Message, StringComparison.Ordinal);
        File.Delete(directory);
    }

    [Fact]
    public void BadSizesAndNamesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlotLogger(_temp.Path, width: 99));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlotLogger(_temp.Path, height: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlotLogger(_temp.Path, width: 8193));
        using var plot = new PlotLogger(_temp.Path);
        Assert.Throws<ArgumentException>(() => plot.LogMetrics(new Dictionary<string, double> { [""] = 1 }, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => plot.LogMetrics(new Dictionary<string, double> { ["x"] = 1 }, -1));
    }

    [Theory]
    [InlineData("train_loss", nameof(MetricFamily.Loss))]
    [InlineData("val_loss", nameof(MetricFamily.Loss))]
    [InlineData("train_loss_epoch", nameof(MetricFamily.Loss))]
    [InlineData("val_acc", nameof(MetricFamily.Accuracy))]
    [InlineData("Train_Accuracy", nameof(MetricFamily.Accuracy))]
    [InlineData("lr-AdamW", nameof(MetricFamily.LearningRate))]
    [InlineData("lr", nameof(MetricFamily.LearningRate))]
    [InlineData("head_learning_rate", nameof(MetricFamily.LearningRate))]
    [InlineData("grad_norm", nameof(MetricFamily.Other))]
    [InlineData("curl", nameof(MetricFamily.Other))]
    public void MetricsAreGroupedIntoPanelsByName(string name, string family) => Assert.Equal(Enum.Parse<MetricFamily>(family), MetricFamilies.Of(name));

    private static DataLoader Loader(int seed)
    {
        // QuickStart's data: 10 standard-normal features, a random label of two.
        const int Examples = 64, Features = 10;
        var random = new Random(seed);
        float[] x = new float[Examples * Features];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        int[] y = Enumerable.Range(0, Examples).Select(_ => random.Next(2)).ToArray();
        return new DataLoader(ArrayDataset.FromFeatures(x, Features, y), 16);
    }

    /// <summary>
    /// Makes renaming over <paramref name="path"/> fail until disposed: the immutable attribute for
    /// root (who ignores permissions), a read-only directory for anyone else on Unix, and on
    /// Windows the file held open without sharing.
    /// </summary>
    private static IDisposable Unreplaceable(string path)
    {
        if (OperatingSystem.IsWindows())
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        if (Environment.IsPrivilegedProcess)
        {
            Chattr("+i", path);
            return new Undo(() => Chattr("-i", path));
        }

        return new ReadOnlyDirectory(Path.GetDirectoryName(path)!);
    }

    private static void Chattr(string flag, string path)
    {
        string? error = UnreplaceableFileFactAttribute.Chattr(flag, path);
        Assert.True(error is null, $"{error} on {path}");
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>Takes the write permission off a directory until disposed.</summary>
    [UnsupportedOSPlatform("windows")]
    private sealed class ReadOnlyDirectory : IDisposable
    {
        private readonly string _directory;
        private readonly UnixFileMode _mode;

        public ReadOnlyDirectory(string directory)
        {
            _directory = directory;
            _mode = File.GetUnixFileMode(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        public void Dispose() => File.SetUnixFileMode(_directory, _mode);
    }

    /// <summary>Copies the picture as it is on disk at the end of each validation.</summary>
    private sealed class PictureAtValidation(string path) : Callback
    {
        public List<byte[]> Pictures { get; } = [];

        public override void OnValidationEnd(Trainer trainer, ITrainableModel model) => Pictures.Add(File.ReadAllBytes(path));
    }
}
