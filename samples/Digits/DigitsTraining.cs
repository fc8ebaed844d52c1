using System;
using System.Collections.Generic;
using System.IO;
using Dsl;

namespace Digits;

/// <summary>
/// The whole Digits job, as the sample's Program and the end-to-end test run it: load the CSV,
/// split it 70/15/15 into train, validation and test, fit with progress, CSV and TensorBoard
/// logs, best-checkpoint saving and early stopping, then reload the best checkpoint and test it.
/// </summary>
public static class DigitsTraining
{
    /// <summary>What to run.</summary>
    /// <param name="DataPath">The digits CSV (64 pixels 0-16, then the label; gzip allowed).</param>
    /// <param name="OutputDirectory">Where logs and checkpoints go.</param>
    /// <param name="MaxEpochs">The epoch limit (early stopping usually ends sooner).</param>
    /// <param name="Seed">Seeds the parameters, the split and the shuffling.</param>
    /// <param name="Device">The device; null for <see cref="Device.Default"/>.</param>
    /// <param name="ProgressOutput">Where progress goes; null for the console.</param>
    /// <param name="BatchSize">Training examples per batch on each rank (under mpirun the global batch is this times the ranks).</param>
    /// <param name="Loggers">Loggers to add to the CSV and TensorBoard ones (the sample's plot logger); give them on rank 0 only.</param>
    public sealed record Settings(
        string DataPath, string OutputDirectory, int MaxEpochs = 100, int Seed = 0, Device? Device = null, TextWriter? ProgressOutput = null, int BatchSize = 32,
        IReadOnlyList<MetricLogger>? Loggers = null);

    /// <summary>What came out.</summary>
    /// <param name="Test">Metrics of the best checkpoint on the held-out test split (<c>test_acc</c>, <c>test_loss</c>).</param>
    /// <param name="Fit">How the fit went.</param>
    /// <param name="BestCheckpoint">The checkpoint with the lowest validation loss.</param>
    /// <param name="Examples">Examples in the train, validation and test splits.</param>
    public sealed record Outcome(MetricValues Test, FitResult Fit, string BestCheckpoint, (int Train, int Validation, int Test) Examples);

    /// <summary>Runs the job.</summary>
    /// <param name="settings">What to run.</param>
    public static Outcome Run(Settings settings)
    {
        Dataset all = CsvDataset.Load(settings.DataPath, new CsvOptions { Classes = 10, FeatureScale = 1 / 16f });
        var (train, rest) = all.Split(0.7, settings.Seed);
        var (validation, test) = rest.Split(0.5, settings.Seed);

        var model = new DigitsClassifier(settings.Seed);
        var checkpoints = new ModelCheckpoint(
            Path.Combine(settings.OutputDirectory, "checkpoints"), monitor: "val_loss",
            fileName: "digits-{epoch:D3}-{val_loss:F4}", saveLast: true);
        var options = new TrainerOptions
        {
            MaxEpochs = settings.MaxEpochs,
            Seed = settings.Seed,
            Device = settings.Device,
            LogEveryNSteps = 10,
            ProgressOutput = settings.ProgressOutput,
            Callbacks = { checkpoints, new EarlyStopping("val_loss", patience: 8), new LearningRateMonitor() },
        };
        // Under mpirun (Strategy.Auto trains data-parallel) only rank 0 logs, and a logger makes its
        // version_N directory when it is made, so only rank 0 makes them.
        if (MpiWorld.LaunchedRank == 0)
        {
            options.Loggers.Add(new CsvLogger(Path.Combine(settings.OutputDirectory, "logs")));
            options.Loggers.Add(new TensorBoardLogger(Path.Combine(settings.OutputDirectory, "runs")));
        }

        foreach (MetricLogger logger in settings.Loggers ?? [])
            options.Loggers.Add(logger);

        using var trainer = new Trainer(options);
        FitResult fit = trainer.Fit(
            model,
            new DataLoader(train, batchSize: settings.BatchSize, shuffle: true, seed: settings.Seed),
            new DataLoader(validation, batchSize: 256));

        // Test the best model, not the last one.
        string best = checkpoints.BestModelPath ?? throw new InvalidOperationException("No checkpoint was written.");
        model.Parameters.LoadSafeTensors(best);
        MetricValues tested = trainer.Test(model, new DataLoader(test, batchSize: 256));
        return new Outcome(tested, fit, best, (train.Count, validation.Count, test.Count));
    }
}
