using System;
using System.IO;
using Dsl;

namespace Gpt;

/// <summary>The training half of the sample: loaders over the two parts of the text, the Trainer, its callbacks, and the best checkpoint.</summary>
internal static class KjvTraining
{
    /// <summary>Trains <paramref name="model"/> and returns the checkpoint with the lowest validation loss.</summary>
    /// <param name="model">The model, freshly initialised (or to be overwritten by <see cref="GptArguments.Resume"/>).</param>
    /// <param name="device">Where it trains.</param>
    /// <param name="settings">The command line.</param>
    /// <param name="trainText">The text it trains on.</param>
    /// <param name="heldOutText">The contiguous tail it is measured on.</param>
    /// <returns>The path of the best checkpoint.</returns>
    public static string Run(ITrainableModel model, Device device, GptArguments settings, TextCorpus trainText, TextCorpus heldOutText)
    {
        int context = SampleModel.Context;

        // Every start of the training text is a window; a shuffled loader draws them without
        // replacement, so each step reads random windows and one epoch (millions of windows) is
        // never finished: --steps and --minutes end the run. Validation windows are disjoint, and
        // a shuffled loader's epoch 0 with a batch limit is the same random subset at every check.
        var trainLoader = new DataLoader(new TextDataset(trainText, context), settings.Batch, shuffle: true, dropLast: true, seed: settings.Seed);
        var validation = new TextDataset(heldOutText, context, stride: context);
        var validationLoader = new DataLoader(validation, settings.Batch, shuffle: true, seed: settings.Seed + 1);
        int validationBatches = settings.ValidationBatches == 0 ? validationLoader.BatchCount : Math.Min(settings.ValidationBatches, validationLoader.BatchCount);
        Console.WriteLine($"{trainLoader.Dataset.Count:N0} training windows of {context} bytes; validation: {Math.Min(validationBatches * settings.Batch, validation.Count):N0} of {validation.Count:N0} disjoint windows every {settings.ValidateEvery} steps");

        string directory = Path.GetFullPath(settings.CheckpointDirectory);
        var checkpoints = new ModelCheckpoint(directory, monitor: "val_loss", saveTopK: 1, saveLast: true, fileName: "kjv-{step}-{val_loss:F4}");
        var timeLimit = settings.Minutes is { } minutes ? new TimeLimit(TimeSpan.FromMinutes(minutes)) : null;
        var options = new TrainerOptions
        {
            MaxSteps = settings.Steps,
            Seed = settings.Seed,
            Device = device,
            ValCheckInterval = Batches.Of(settings.ValidateEvery),
            LimitValBatches = Batches.Of(validationBatches),
            LogEveryNSteps = 50,
            EnableProgressBar = !Console.IsOutputRedirected,
            // ValidationReport first, so val_bpb is in the metrics when the checkpoint is named and logged.
            Callbacks = { new ValidationReport(Console.Out, settings.Batch * context), checkpoints },
            Loggers = { new CsvLogger(Path.Combine(Path.GetDirectoryName(directory)!, "logs")) },
        };
        if (timeLimit is not null)
            options.Callbacks.Add(timeLimit);

        using var trainer = new Trainer(options);
        FitResult fit = trainer.Fit(model, trainLoader, validationLoader, resumeFrom: settings.Resume);
        string stop = timeLimit is { Expired: true } ? $"the {settings.Minutes} minute limit" : fit.StopReason.ToString();
        Console.WriteLine($"Stopped after {fit.GlobalStep} steps ({stop}) in {fit.Elapsed.TotalSeconds:F1} s");

        // A run that stopped between validations is measured once more, and kept if it is the best.
        string? best = checkpoints.BestModelPath;
        double? bestLoss = checkpoints.BestModelScore;
        if (fit.GlobalStep % settings.ValidateEvery != 0 || best is null)
        {
            double nats = trainer.Validate(model, validationLoader)["val_loss"];
            Console.WriteLine($"final   val_loss {nats:F4} nats = {nats / Math.Log(2):F3} bits/byte at step {fit.GlobalStep}");
            if (best is null || nats < checkpoints.BestModelScore)
            {
                best = Path.Combine(directory, $"kjv-step={fit.GlobalStep}-final{ModelCheckpoint.Extension}");
                trainer.SaveCheckpoint(best);
                bestLoss = nats;
            }
        }

        Console.WriteLine($"Best checkpoint: {best} (val_loss {bestLoss:F4} nats = {bestLoss / Math.Log(2):F3} bits/byte)");
        return best;
    }
}
