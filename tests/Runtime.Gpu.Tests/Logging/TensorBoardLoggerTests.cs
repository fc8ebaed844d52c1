using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Dsl.Tests.Logging;

public sealed class TensorBoardLoggerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WritesTheVersionRecordThenOneEventPerCallWithEveryTagValueAndStep()
    {
        double before = Now();
        string path;
        using (var logger = new TensorBoardLogger(_temp.Path, "mnist"))
        {
            path = logger.EventFilePath;
            logger.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 2.25, ["epoch"] = 0 }, 0);
            logger.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.3, ["epoch"] = 0 }, 50);
            logger.LogMetrics(new Dictionary<string, double> { ["val_loss"] = 0.4375, ["val_acc"] = 0.90625, ["epoch"] = 1 }, 1_000_000_000_000);
        }

        double after = Now();
        Assert.Equal(Path.Combine(_temp.Path, "mnist", "version_0"), Path.GetDirectoryName(path));
        Assert.Matches(
            "^events\\.out\\.tfevents\\.[0-9]{10}\\." + Regex.Escape(Environment.MachineName) + "\\." + Environment.ProcessId + "\\.0$",
            Path.GetFileName(path));

        List<byte[]> records = EventFileDecoder.ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(4, records.Count);
        DecodedEvent version = EventFileDecoder.DecodeEvent(records[0]);
        Assert.Equal("brain.Event:2", version.FileVersion);
        Assert.InRange(version.WallTime, before, after);
        Assert.Empty(version.Scalars);

        DecodedEvent[] events = [.. records[1..].ConvertAll(EventFileDecoder.DecodeEvent)];
        Assert.Equal([0L, 50L, 1_000_000_000_000L], Array.ConvertAll(events, e => e.Step));
        Assert.Equal([("train_loss", 2.25f), ("epoch", 0f)], events[0].Scalars);
        Assert.Equal([("train_loss", 0.3f), ("epoch", 0f)], events[1].Scalars);
        Assert.Equal([("val_loss", 0.4375f), ("val_acc", 0.90625f), ("epoch", 1f)], events[2].Scalars);
        foreach (DecodedEvent e in events)
        {
            Assert.Null(e.FileVersion);
            Assert.Empty(e.Texts);
            Assert.InRange(e.WallTime, version.WallTime, after);
        }
    }

    [Fact]
    public void CorruptingAnyByteOfARecordFailsItsCrcCheck()
    {
        string path;
        using (var logger = new TensorBoardLogger(_temp.Path))
        {
            path = logger.EventFilePath;
            logger.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 1.5 }, 3);
        }

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(2, EventFileDecoder.ReadRecords(file).Count);
        int second = 16 + EventFileDecoder.ReadRecords(file)[0].Length; // where record 2 starts

        byte[] badData = (byte[])file.Clone();
        badData[second + 12 + 3] ^= 0x01;
        Assert.Contains("data's CRC", Assert.Throws<InvalidDataException>(() => EventFileDecoder.ReadRecords(badData)).Message);

        byte[] badLength = (byte[])file.Clone();
        badLength[second] ^= 0x01;
        Assert.Contains("length's CRC", Assert.Throws<InvalidDataException>(() => EventFileDecoder.ReadRecords(badLength)).Message);

        byte[] badFooter = (byte[])file.Clone();
        badFooter[^1] ^= 0x80;
        Assert.Contains("data's CRC", Assert.Throws<InvalidDataException>(() => EventFileDecoder.ReadRecords(badFooter)).Message);
    }

    [Fact]
    public void EventsReachTheFileAtFlushWhileTheLoggerStaysOpen()
    {
        using var logger = new TensorBoardLogger(_temp.Path);
        logger.LogMetrics(new Dictionary<string, double> { ["train_loss"] = 0.5 }, 1);
        Assert.Single(EventFileDecoder.ReadRecords(ReadShared(logger.EventFilePath)));

        logger.Flush();
        List<byte[]> records = EventFileDecoder.ReadRecords(ReadShared(logger.EventFilePath));
        Assert.Equal(2, records.Count);
        Assert.Equal([("train_loss", 0.5f)], EventFileDecoder.DecodeEvent(records[1]).Scalars);
    }

    [Fact]
    public void NumbersRunsLikeLightningAndNeverReusesAnEventFile()
    {
        using var first = new TensorBoardLogger(_temp.Path, "exp");
        using var second = new TensorBoardLogger(_temp.Path, "exp");
        using var again = new TensorBoardLogger(_temp.Path, "exp", version: 1);
        Assert.Equal(Path.Combine(_temp.Path, "exp", "version_0"), first.LogDirectory);
        Assert.Equal(Path.Combine(_temp.Path, "exp", "version_1"), second.LogDirectory);
        Assert.Equal(second.LogDirectory, again.LogDirectory);
        Assert.NotEqual(second.EventFilePath, again.EventFilePath);
        Assert.Equal("tensorboard", first.Name);
    }

    [Fact]
    public void HyperparametersBecomeATextSummaryAndHparamsYaml()
    {
        string path, directory;
        using (var logger = new TensorBoardLogger(_temp.Path))
        {
            path = logger.EventFilePath;
            directory = logger.LogDirectory;
            logger.LogHyperparameters(new Dictionary<string, string> { ["lr"] = "0.001", ["model"] = "mlp|wide" });
            logger.LogHyperparameters(new Dictionary<string, string> { ["lr"] = "0.01", ["batch_size"] = "32" });
        }

        Assert.Equal("lr: 0.01\nmodel: mlp|wide\nbatch_size: 32\n", File.ReadAllText(Path.Combine(directory, "hparams.yaml")));
        List<byte[]> records = EventFileDecoder.ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(3, records.Count);
        DecodedEvent last = EventFileDecoder.DecodeEvent(records[2]);
        Assert.Equal(0, last.Step);
        Assert.Equal(
            [("hyperparameters", "text", 7, "| name | value |\n| --- | --- |\n| lr | 0.01 |\n| model | mlp\\|wide |\n| batch_size | 32 |\n")],
            last.Texts);
    }

    [Fact]
    public void RejectsANegativeStep()
    {
        using var logger = new TensorBoardLogger(_temp.Path);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => logger.LogMetrics(new Dictionary<string, double> { ["a"] = 1 }, -1));
        Assert.Contains("negative step", ex.Message);
    }

    [Fact]
    public void RejectsAnEmptyMetricName()
    {
        using var logger = new TensorBoardLogger(_temp.Path);
        var ex = Assert.Throws<ArgumentException>(() => logger.LogMetrics(new Dictionary<string, double> { [""] = 1 }, 4));
        Assert.Contains("empty name at step 4", ex.Message);
    }

    [Fact]
    public void RejectsLoggingAfterDispose()
    {
        var logger = new TensorBoardLogger(_temp.Path);
        logger.Dispose();
        logger.Dispose(); // a second dispose is harmless
        logger.Flush();   // and so is a flush after it
        Assert.Throws<ObjectDisposedException>(() => logger.LogMetrics(new Dictionary<string, double> { ["a"] = 1 }, 0));
    }

    private static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
