using System;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// EarlyStopping and ModelCheckpoint's top-k driven by a scripted metric, one value per epoch, so
/// every decision is known in advance.
/// </summary>
public sealed class ScriptedMetricTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Logs <c>score</c> = values[epoch] at each epoch's end, before the other callbacks look.</summary>
    private sealed class ScriptedScore(params double[] values) : Callback
    {
        public override void OnFitStart(Trainer trainer, ITrainableModel model) => trainer.DeclareMetrics("score");

        public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel model) => trainer.Log("score", values[trainer.CurrentEpoch]);
    }

    private FitResult Fit(int maxEpochs, params Callback[] callbacks)
    {
        var options = new TrainerOptions { MaxEpochs = maxEpochs, EnableProgressBar = false, LimitTrainBatches = 2 };
        foreach (Callback callback in callbacks)
            options.Callbacks.Add(callback);
        using var trainer = new Trainer(options);
        return trainer.Fit(new ScheduledClassifier(seed: 1), new DataLoader(Blobs.Make(64, 4, 3, seed: 1), 16));
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceChecksWithoutAnImprovementLargerThanMinDelta()
    {
        // Best 0.50 at epoch 2; 0.495 is not better by more than minDelta 0.01; stop after 3 more.
        var stopping = new EarlyStopping("score", patience: 3, minDelta: 0.01);
        FitResult result = Fit(20, new ScriptedScore(0.9, 0.7, 0.5, 0.495, 0.6, 0.55, 0.1, 0.1), stopping);

        Assert.Equal(StopReason.Requested, result.StopReason);
        Assert.Equal(6, result.Epochs);
        Assert.Equal(5, stopping.StoppedEpoch);
        Assert.Equal(0.5, stopping.BestScore);
        Assert.Equal(3, stopping.WaitCount);
        Assert.Contains("did not improve in the last 3 records", stopping.StopMessage);
    }

    [Fact]
    public void EarlyStoppingInMaxModeResetsItsPatienceOnEachImprovement()
    {
        var stopping = new EarlyStopping("score", patience: 2, mode: MonitorMode.Max);
        FitResult result = Fit(20, new ScriptedScore(0.1, 0.2, 0.15, 0.3, 0.25, 0.2, 0.9), stopping);
        Assert.Equal(6, result.Epochs);   // 0.3 at epoch 3, then two checks without improvement
        Assert.Equal(0.3, stopping.BestScore);
    }

    [Fact]
    public void EarlyStoppingStopsAtOnceOnANonFiniteValue()
    {
        var stopping = new EarlyStopping("score", patience: 10);
        FitResult result = Fit(20, new ScriptedScore(0.9, 0.8, double.NaN, 0.1), stopping);
        Assert.Equal(3, result.Epochs);
        Assert.Contains("not finite", stopping.StopMessage);
    }

    [Fact]
    public void TopKKeepsTheKBestFilesAndDeletesTheRest()
    {
        double[] scores = { 0.9, 0.5, 0.7, 0.3, 0.6, 0.4, 0.8 };
        var checkpoint = new ModelCheckpoint(_directory.Path, monitor: "score", saveTopK: 3, fileName: "{epoch}-{score:F2}", saveLast: true);
        Fit(scores.Length, new ScriptedScore(scores), checkpoint);

        string[] kept = Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(new[] { "epoch=1-score=0.50.safetensors", "epoch=3-score=0.30.safetensors", "epoch=5-score=0.40.safetensors", "last.safetensors" }, kept);
        Assert.Equal(_directory["epoch=3-score=0.30.safetensors"], checkpoint.BestModelPath);
        Assert.Equal(0.3, checkpoint.BestModelScore);
        Assert.Equal(new[] { 0.3, 0.4, 0.5 }, checkpoint.BestKModels.Values.Order());
    }

    [Fact]
    public void TopKInMaxModeRanksNaNLast()
    {
        var checkpoint = new ModelCheckpoint(_directory.Path, monitor: "score", mode: MonitorMode.Max, saveTopK: 2, fileName: "{epoch}");
        Fit(4, new ScriptedScore(0.2, double.NaN, 0.9, 0.5), checkpoint);
        string[] kept = Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(new[] { "epoch=2.safetensors", "epoch=3.safetensors" }, kept);
    }

    [Fact]
    public void WithoutAMonitorTheMostRecentCheckpointsAreKept()
    {
        var checkpoint = new ModelCheckpoint(_directory.Path, saveTopK: 2);
        Fit(4, checkpoint);
        string[] kept = Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(new[] { "epoch=2-step=6.safetensors", "epoch=3-step=8.safetensors" }, kept);
        Assert.Equal(_directory["epoch=3-step=8.safetensors"], checkpoint.BestModelPath);
    }

    [Fact]
    public void AMonitorThatTheRunNeverLogsIsRejectedBeforeTraining()
    {
        var model = new ScheduledClassifier(seed: 1);
        var options = new TrainerOptions { EnableProgressBar = false, Callbacks = { new EarlyStopping("val_los") } };
        using var trainer = new Trainer(options);
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(model, new DataLoader(Blobs.Make(32, 4, 3, 1), 16)));
        Assert.Contains("EarlyStopping monitors 'val_los', which this run never logs", error.Message);
        Assert.Equal(0, trainer.GlobalStep);
    }
}
