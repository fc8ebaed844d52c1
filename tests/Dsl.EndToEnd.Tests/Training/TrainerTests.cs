using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>The Trainer's loop: limits, hooks, accumulation, schedules, logging, test and predict.</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static DataLoader Train(int count = 96, int batch = 16) => new(Blobs.Make(count, 4, 3, seed: 1), batch, shuffle: true, seed: 2);

    private static DataLoader Validation() => new(Blobs.Make(30, 4, 3, seed: 2), 10);

    [Fact]
    public void FitLearnsAndCallsTheModelsHooksInLightningsOrder()
    {
        var model = new ScheduledClassifier(seed: 1);
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 2, EnableProgressBar = false });
        FitResult result = trainer.Fit(model, Train(), Validation());

        Assert.Equal(new[]
        {
            "fit_start",
            "epoch_start 0", "validation_end 0", "epoch_end 0",
            "epoch_start 1", "validation_end 1", "epoch_end 1",
            "fit_end",
        }, model.Events);
        Assert.Equal((2, 12L, StopReason.MaxEpochs), (result.Epochs, result.GlobalStep, result.StopReason));
        Assert.True(result.Metrics["val_acc"] > 0.8, result.Metrics.ToString());
        Assert.True(result.Metrics["train_loss_epoch"] < 1.0, result.Metrics.ToString());
        Assert.Equal(1, result.Metrics["epoch"]);
    }

    [Fact]
    public void TheTrainingLoaderCanAlsoBeTheValidationLoaderEvenMidEpoch()
    {
        DataLoader loader = Train();
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 2, ValCheckInterval = 0.5, EnableProgressBar = false });
        FitResult result = trainer.Fit(new ScheduledClassifier(seed: 1), loader, loader);
        Assert.Equal(12, result.GlobalStep);
        Assert.True(result.Metrics.ContainsKey("val_acc"));
    }

    [Fact]
    public void LimitsStepsAndFastDevRunBoundTheWork()
    {
        int Steps(TrainerOptions options)
        {
            options.EnableProgressBar = false;
            using var trainer = new Trainer(options);
            return (int)trainer.Fit(new ScheduledClassifier(seed: 1), Train(), Validation()).GlobalStep;
        }

        Assert.Equal(3 * 4, Steps(new TrainerOptions { MaxEpochs = 4, LimitTrainBatches = 3 }));
        Assert.Equal(2 * 3, Steps(new TrainerOptions { MaxEpochs = 2, LimitTrainBatches = 0.5 }));
        Assert.Equal(10, Steps(new TrainerOptions { MaxEpochs = 100, MaxSteps = 10 }));
        Assert.Equal(6, Steps(new TrainerOptions { MaxEpochs = 2, AccumulateGradBatches = 2 }));

        // FastDevRun: two batches, one epoch, and no logger or checkpoint writes anything.
        var options = new TrainerOptions
        {
            FastDevRun = 2, EnableProgressBar = false,
            Callbacks = { new ModelCheckpoint(_directory["checkpoints"], saveLast: true) },
            Loggers = { new CsvLogger(_directory["logs"]) },
        };
        using var trainer = new Trainer(options);
        FitResult result = trainer.Fit(new ScheduledClassifier(seed: 1), Train(), Validation());
        Assert.Equal((2L, StopReason.FastDevRun), (result.GlobalStep, result.StopReason));
        Assert.False(Directory.Exists(_directory["checkpoints"]));
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.csv", SearchOption.AllDirectories));
    }

    [Fact]
    public void AccumulatingTwoBatchesOfEightEqualsOneStepOnTheBatchOfSixteen()
    {
        // Unshuffled, so batches 2k and 2k+1 of 8 are exactly batch k of 16; the mean of their
        // mean gradients is the mean gradient of the 16 (up to float rounding).
        var data = Blobs.Make(64, 4, 3, seed: 1);
        var accumulated = new ScheduledClassifier(seed: 3);
        var whole = new ScheduledClassifier(seed: 3);
        using (var trainer = new Trainer(new TrainerOptions { MaxEpochs = 1, AccumulateGradBatches = 2, EnableProgressBar = false }))
            trainer.Fit(accumulated, new DataLoader(data, 8));
        using (var trainer = new Trainer(new TrainerOptions { MaxEpochs = 1, EnableProgressBar = false }))
            trainer.Fit(whole, new DataLoader(data, 16));

        float[] a = accumulated.Parameters.Buffer, b = whole.Parameters.Buffer;
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 2e-5f, $"parameter {i}: {a[i]} vs {b[i]}");
        Assert.NotEqual(new ScheduledClassifier(seed: 3).Parameters.Buffer, a);
    }

    [Fact]
    public void ValCheckIntervalValidatesWithinTheEpoch()
    {
        var model = new ScheduledClassifier(seed: 1);
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 2, ValCheckInterval = 2, EnableProgressBar = false });
        trainer.Fit(model, Train(), Validation());   // 6 batches: validation after batches 2, 4, 6
        Assert.Equal(6, model.Events.Count(e => e.StartsWith("validation_end", StringComparison.Ordinal)));

        var everyOther = new ScheduledClassifier(seed: 1);
        using var sparse = new Trainer(new TrainerOptions { MaxEpochs = 4, CheckValEveryNEpochs = 2, EnableProgressBar = false });
        sparse.Fit(everyOther, Train(), Validation());
        Assert.Equal(new[] { "validation_end 1", "validation_end 3" }, everyOther.Events.Where(e => e.StartsWith("validation_end", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheScheduleDrivesTheLearningRateThatTheMonitorLogs()
    {
        var options = new TrainerOptions
        {
            MaxEpochs = 3, LogEveryNSteps = 1, EnableProgressBar = false,
            Callbacks = { new LearningRateMonitor() },
            Loggers = { new CsvLogger(_directory["logs"], version: 0) },
        };
        using (var trainer = new Trainer(options))
            trainer.Fit(new ScheduledClassifier(seed: 1), Train(), Validation());

        string[] lines = File.ReadAllLines(_directory["logs/default/version_0/metrics.csv"]);
        string[] header = lines[0].Split(',');
        int step = Array.IndexOf(header, "step"), rate = Array.IndexOf(header, "lr-AdamW");
        var schedule = new WarmupCosineSchedule(warmupSteps: 5, totalSteps: 60);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(cells => cells[rate].Length > 0).ToList();
        Assert.Equal(18, rows.Count);
        foreach (string[] cells in rows)
        {
            long s = long.Parse(cells[step], CultureInfo.InvariantCulture);
            // Logged after step s: the rate of the next update, at position s.
            Assert.Equal((float)schedule.LearningRate(3e-2f, s), float.Parse(cells[rate], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void WithAccumulationTheMonitorLogsOnceAnUpdateNotOnceABatch()
    {
        var options = new TrainerOptions
        {
            MaxEpochs = 2, LogEveryNSteps = 1, AccumulateGradBatches = 2, EnableProgressBar = false,
            Callbacks = { new LearningRateMonitor() },
            Loggers = { new CsvLogger(_directory["logs"], version: 0) },
        };
        using (var trainer = new Trainer(options))
            Assert.Equal(6, trainer.Fit(new ScheduledClassifier(seed: 1), Train()).GlobalStep);

        string[] lines = File.ReadAllLines(_directory["logs/default/version_0/metrics.csv"]);
        int rate = Array.IndexOf(lines[0].Split(','), "lr-AdamW");
        string[] steps = lines.Skip(1).Where(l => l.Split(',')[rate].Length > 0).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(new[] { "1", "2", "3", "4", "5", "6" }, steps);
    }

    [Fact]
    public void TestRenamesValidationMetricsAndPredictReturnsEveryExampleInLoaderOrder()
    {
        var model = new ScheduledClassifier(seed: 1);
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 5, EnableProgressBar = false });
        trainer.Fit(model, Train(), Validation());

        MetricValues validated = trainer.Validate(model, Validation());
        MetricValues tested = trainer.Test(model, Validation());
        Assert.Equal(new[] { "test_acc", "test_loss" }, tested.Keys.Order());
        Assert.Equal(validated["val_acc"], tested["test_acc"]);

        var data = Blobs.Make(30, 4, 3, seed: 2);
        Predictions predictions = trainer.Predict(model, new DataLoader(data, 7, shuffle: true, seed: 9));
        Assert.Equal(30, predictions.Count);
        Assert.Equal(new[] { 3 }, predictions.OutputShape);
        Assert.Equal(Enumerable.Range(0, 30), predictions.ExampleIndices.ToArray().Order());
        int[] labels = (int[])data.Values(1);
        double accuracy = Enumerable.Range(0, 30).Count(i => predictions.ArgMax(i) == labels[predictions.ExampleIndices[i]]) / 30.0;
        Assert.Equal(tested["test_acc"], accuracy, 6);
    }

    [Fact]
    public void LoggersReceiveStepAndEpochRowsThatTensorBoardAndCsvFilesHold()
    {
        var options = new TrainerOptions
        {
            MaxEpochs = 2, LogEveryNSteps = 2, EnableProgressBar = false,
            Loggers = { new CsvLogger(_directory["logs"], version: 0), new TensorBoardLogger(_directory["runs"], version: 0) },
        };
        using (var trainer = new Trainer(options))
            trainer.Fit(new Classifier(seed: 1), new DataLoader(Blobs.Make(64, 10, 2, seed: 1), 16), new DataLoader(Blobs.Make(20, 10, 2, seed: 2), 10));

        string[] lines = File.ReadAllLines(_directory["logs/default/version_0/metrics.csv"]);
        Assert.Equal("step,train_loss,epoch,val_loss,val_acc,train_loss_epoch", lines[0]);
        // Steps 2 and 4 of each 4-step epoch log train_loss; each epoch adds a validation row and an epoch row.
        Assert.Equal(new[] { "2", "4", "4", "4", "6", "8", "8", "8" }, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Single(Directory.GetFiles(_directory["runs/default/version_0"], "events.out.tfevents.*"));
        Assert.True(File.Exists(_directory["logs/default/version_0/hparams.yaml"]));
        Assert.Contains("optimizer: ", File.ReadAllText(_directory["logs/default/version_0/hparams.yaml"]));
    }

    [Fact]
    public void TheProgressDisplayPrintsOneLineAnEpochWhenOutputIsNotATerminal()
    {
        var output = new StringWriter();
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 3, ProgressOutput = output });
        trainer.Fit(new ScheduledClassifier(seed: 1), Train(), Validation());
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Epoch 1/3: 6/6 [", lines[0]);
        Assert.Contains("train_loss=", lines[2]);
        Assert.Contains("val_acc=", lines[2]);
    }
}
