using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Dsl.Tests.Logging;

public sealed class CsvLoggerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WritesAStepColumnThenMetricsInOrderOfFirstAppearance()
    {
        using var logger = new CsvLogger(_temp.Path, "mnist");
        logger.LogMetrics(Metrics(("train_loss", 0.5), ("epoch", 0)), 0);
        logger.LogMetrics(Metrics(("train_loss", 0.25), ("epoch", 0)), 1);
        logger.Flush();

        Assert.Equal(Path.Combine(_temp.Path, "mnist", "version_0", "metrics.csv"), logger.MetricsPath);
        Assert.Equal("step,train_loss,epoch\n0,0.5,0\n1,0.25,0\n", File.ReadAllText(logger.MetricsPath));
        Assert.Equal(["train_loss", "epoch"], logger.Columns);
        Assert.Equal("csv", logger.Name);
    }

    [Fact]
    public void RowsReachTheFileOnlyAtFlushOrDispose()
    {
        string path;
        using (var logger = new CsvLogger(_temp.Path))
        {
            path = logger.MetricsPath;
            logger.LogMetrics(Metrics(("a", 1)), 0);
            Assert.False(File.Exists(path));
            logger.Flush();
            logger.LogMetrics(Metrics(("a", 2)), 1);
            Assert.Equal("step,a\n0,1\n", File.ReadAllText(path));
        }

        Assert.Equal("step,a\n0,1\n1,2\n", File.ReadAllText(path));
    }

    [Fact]
    public void ANewColumnMidRunRewritesTheFileKeepingEveryEarlierRow()
    {
        using var logger = new CsvLogger(_temp.Path);
        logger.LogMetrics(Metrics(("train_loss", 0.5), ("epoch", 0)), 10);
        logger.LogMetrics(Metrics(("train_loss", 0.375), ("epoch", 0)), 20);
        logger.Flush();
        logger.LogMetrics(Metrics(("val_loss", 0.4375), ("val_acc", 0.75), ("epoch", 0)), 20);
        logger.LogMetrics(Metrics(("train_loss", 0.25), ("epoch", 1)), 30);
        logger.Flush();

        Assert.Equal(
            "step,train_loss,epoch,val_loss,val_acc\n10,0.5,0,,\n20,0.375,0,,\n20,,0,0.4375,0.75\n30,0.25,1,,\n",
            File.ReadAllText(logger.MetricsPath));
        Assert.Equal(["metrics.csv"], Array.ConvertAll(Directory.GetFiles(logger.LogDirectory), f => Path.GetFileName(f)));
    }

    [Fact]
    public void RowsLoggedBeforeANewColumnInTheSameFlushGetEmptyCells()
    {
        using var logger = new CsvLogger(_temp.Path);
        logger.LogMetrics(Metrics(("a", 1)), 0);
        logger.LogMetrics(Metrics(("b", 2)), 1);
        logger.LogMetrics(Metrics(("a", 3), ("c", 4)), 2);
        logger.LogMetrics(Metrics(), 3);
        logger.Flush();
        Assert.Equal("step,a,b,c\n0,1,,\n1,,2,\n2,3,,4\n3,,,\n", File.ReadAllText(logger.MetricsPath));
    }

    [Fact]
    public void QuotesColumnNamesPerRfc4180()
    {
        using var logger = new CsvLogger(_temp.Path);
        logger.LogMetrics(Metrics(("loss,sum", 1), ("say \"hi\"", 2), ("two\nlines", 3), ("plain", 4)), 0);
        logger.Flush();
        Assert.Equal("step,\"loss,sum\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n0,1,2,3,4\n", File.ReadAllText(logger.MetricsPath));
    }

    [Fact]
    public void WritesShortestRoundTripNumbersInvariantly()
    {
        double[] values = [0.3f, 0.1, 1.0 / 3, 1e-7f, -2.5e10, 123456789012, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        var metrics = new Dictionary<string, double>();
        for (int i = 0; i < values.Length; i++)
            metrics["m" + i] = values[i];
        using var logger = new CsvLogger(_temp.Path);
        logger.LogMetrics(metrics, 7);
        logger.Flush();

        string row = File.ReadAllLines(logger.MetricsPath)[1];
        Assert.Equal("7,0.3,0.1,0.3333333333333333,1E-07,-25000000000,123456789012,nan,inf,-inf", row);
        string[] cells = row.Split(',');
        Assert.Equal(0.3f, float.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.0 / 3, double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NumbersVersionsLikeLightning()
    {
        using (var first = new CsvLogger(_temp.Path))
            Assert.Equal(Path.Combine(_temp.Path, "default", "version_0"), first.LogDirectory);
        using (var second = new CsvLogger(_temp.Path))
            Assert.Equal(Path.Combine(_temp.Path, "default", "version_1"), second.LogDirectory);
        Directory.CreateDirectory(Path.Combine(_temp.Path, "default", "version_7b"));
        Directory.CreateDirectory(Path.Combine(_temp.Path, "default", "version_"));
        using (var given = new CsvLogger(_temp.Path, version: 5))
            Assert.Equal(Path.Combine(_temp.Path, "default", "version_5"), given.LogDirectory);
        using (var next = new CsvLogger(_temp.Path))
            Assert.Equal(Path.Combine(_temp.Path, "default", "version_6"), next.LogDirectory);
        using (var unnamed = new CsvLogger(_temp.Path, name: ""))
            Assert.Equal(Path.Combine(_temp.Path, "version_0"), unnamed.LogDirectory);
    }

    [Fact]
    public void AGivenVersionContinuesItsMetricsFile()
    {
        using (var logger = new CsvLogger(_temp.Path, version: 0))
            logger.LogMetrics(Metrics(("a,b", 1), ("c", 2)), 0);
        using (var resumed = new CsvLogger(_temp.Path, version: 0))
        {
            Assert.Equal(["a,b", "c"], resumed.Columns);
            resumed.LogMetrics(Metrics(("c", 3)), 1);
            resumed.Flush();
            Assert.Equal("step,\"a,b\",c\n0,1,2\n1,,3\n", File.ReadAllText(resumed.MetricsPath));
            resumed.LogMetrics(Metrics(("d", 4)), 2);
        }

        Assert.Equal("step,\"a,b\",c,d\n0,1,2,\n1,,3,\n2,,,4\n", File.ReadAllText(Path.Combine(_temp.Path, "default", "version_0", "metrics.csv")));
    }

    [Fact]
    public void RejectsContinuingAFileThatDoesNotStartWithAStepColumn()
    {
        string path = Path.Combine(_temp.Path, "default", "version_0", "metrics.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "epoch,loss\n0,1\n");
        var ex = Assert.Throws<InvalidDataException>(() => new CsvLogger(_temp.Path, version: 0));
        Assert.Equal($"{path} line 1, column 1: expected 'step', found 'epoch'; the CSV logger only continues files it wrote.", ex.Message);
    }

    [Fact]
    public void RejectsContinuingAFileWithAnUnclosedQuoteInItsHeader()
    {
        string path = Path.Combine(_temp.Path, "default", "version_0", "metrics.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "step,\"loss\n0,1\n");
        var ex = Assert.Throws<InvalidDataException>(() => new CsvLogger(_temp.Path, version: 0));
        Assert.Equal($"{path} line 1, column 2: a quoted column name is never closed.", ex.Message);
    }

    [Fact]
    public void RejectsContinuingAFileWithARepeatedColumn()
    {
        string path = Path.Combine(_temp.Path, "default", "version_0", "metrics.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "step,loss,loss\n");
        var ex = Assert.Throws<InvalidDataException>(() => new CsvLogger(_temp.Path, version: 0));
        Assert.Equal($"{path} line 1, column 3: the column name 'loss' is empty or repeated.", ex.Message);
    }

    [Fact]
    public void WritesHparamsYamlMergingCallsAndQuotingOnlyWhereYamlNeedsIt()
    {
        using var logger = new CsvLogger(_temp.Path);
        logger.LogHyperparameters(new Dictionary<string, string>
        {
            ["lr"] = "0.001",
            ["shift"] = "-0.5",
            ["model"] = "mlp: wide",
            ["empty"] = "",
            ["list"] = "[1, 2]",
            ["item"] = "- x",
            ["padded"] = " x",
            ["note"] = "a\nb \"c\" \\",
            ["path"] = "C:\\data",
        });
        logger.LogHyperparameters(new Dictionary<string, string> { ["lr"] = "0.01", ["my key: 2"] = "v" });

        Assert.Equal(
            "lr: 0.01\nshift: -0.5\nmodel: \"mlp: wide\"\nempty: \"\"\nlist: \"[1, 2]\"\nitem: \"- x\"\npadded: \" x\"\n"
            + "note: \"a\\nb \\\"c\\\" \\\\\"\npath: C:\\data\n\"my key: 2\": v\n",
            File.ReadAllText(Path.Combine(logger.LogDirectory, "hparams.yaml")));
    }

    [Fact]
    public void RejectsAMetricNamedStep()
    {
        using var logger = new CsvLogger(_temp.Path);
        var ex = Assert.Throws<ArgumentException>(() => logger.LogMetrics(Metrics(("step", 1)), 3));
        Assert.StartsWith("The csv logger was given a metric named 'step' at step 3", ex.Message);
    }

    [Fact]
    public void RejectsANegativeStep()
    {
        using var logger = new CsvLogger(_temp.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => logger.LogMetrics(Metrics(("a", 1)), -5));
    }

    [Fact]
    public void RejectsANegativeVersion()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvLogger(_temp.Path, version: -1));
    }

    [Fact]
    public void RejectsAnEmptyHyperparameterName()
    {
        using var logger = new CsvLogger(_temp.Path);
        Assert.Throws<ArgumentException>(() => logger.LogHyperparameters(new Dictionary<string, string> { [""] = "1" }));
    }

    [Fact]
    public void RejectsLoggingAfterDispose()
    {
        var logger = new CsvLogger(_temp.Path);
        logger.Dispose();
        Assert.Throws<ObjectDisposedException>(() => logger.LogMetrics(Metrics(("a", 1)), 0));
    }

    private static Dictionary<string, double> Metrics(params (string Name, double Value)[] pairs)
    {
        var metrics = new Dictionary<string, double>();
        foreach ((string name, double value) in pairs)
            metrics.Add(name, value);
        return metrics;
    }
}
