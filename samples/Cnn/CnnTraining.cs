using System;
using System.IO;
using Dsl;

namespace Cnn;

/// <summary>
/// The Cnn sample's job, as its Program and the end-to-end test run it: the digits CSV split
/// 70/15/15 as samples/Digits splits it (same seed, same examples), fit with early stopping on the
/// validation loss and a best checkpoint, then the best checkpoint tested on the held-out split.
/// </summary>
public static class CnnTraining
{
    /// <summary>What to run.</summary>
    /// <param name="DataPath">The digits CSV (64 pixels 0-16 in row-major order, then the label; gzip allowed).</param>
    /// <param name="OutputDirectory">Where checkpoints go.</param>
    /// <param name="MaxEpochs">The epoch limit (early stopping usually ends sooner).</param>
    /// <param name="Seed">Seeds the parameters, the split and the shuffling.</param>
    /// <param name="Device">The device; null for <see cref="Device.Default"/>.</param>
    /// <param name="ProgressOutput">Where progress goes; null for the console.</param>
    public sealed record Settings(string DataPath, string OutputDirectory, int MaxEpochs = 60, int Seed = 0, Device? Device = null, TextWriter? ProgressOutput = null);

    /// <summary>What came out.</summary>
    /// <param name="Test">Metrics of the best checkpoint on the held-out test split (<c>test_acc</c>, <c>test_loss</c>).</param>
    /// <param name="Fit">How the fit went.</param>
    /// <param name="Examples">Examples in the train, validation and test splits.</param>
    public sealed record Outcome(MetricValues Test, FitResult Fit, (int Train, int Validation, int Test) Examples);

    /// <summary>Runs the job.</summary>
    /// <param name="settings">What to run.</param>
    public static Outcome Run(Settings settings)
    {
        // Each row's 64 pixels are the image [1, 8, 8] in NCHW order.
        Dataset all = CsvDataset.Load(settings.DataPath, new CsvOptions { Classes = 10, FeatureScale = 1 / 16f });
        var (train, rest) = all.Split(0.7, settings.Seed);
        var (validation, test) = rest.Split(0.5, settings.Seed);

        var model = new CnnClassifier(settings.Seed);
        var checkpoints = new ModelCheckpoint(Path.Combine(settings.OutputDirectory, "checkpoints"), monitor: "val_loss", fileName: "cnn-{epoch:D3}-{val_loss:F4}");
        var options = new TrainerOptions
        {
            MaxEpochs = settings.MaxEpochs,
            Seed = settings.Seed,
            Device = settings.Device,
            LogEveryNSteps = 10,
            ProgressOutput = settings.ProgressOutput,
            Callbacks = { checkpoints, new EarlyStopping("val_loss", patience: 8) },
        };
        using var trainer = new Trainer(options);
        FitResult fit = trainer.Fit(
            model,
            new DataLoader(train, batchSize: 32, shuffle: true, seed: settings.Seed),
            new DataLoader(validation, batchSize: 256));

        string best = checkpoints.BestModelPath ?? throw new InvalidOperationException("No checkpoint was written.");
        model.Parameters.LoadSafeTensors(best);
        MetricValues tested = trainer.Test(model, new DataLoader(test, batchSize: 256));
        return new Outcome(tested, fit, (train.Count, validation.Count, test.Count));
    }
}
