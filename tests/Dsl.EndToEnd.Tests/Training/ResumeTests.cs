using System;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// A run stopped (or crashed) and resumed from its checkpoint must end with the same parameters,
/// bit for bit, as a run that was never interrupted: shuffling, the schedule, AdamW's moments,
/// gradient accumulation and the callbacks' state all continue exactly.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (DataLoader Train, DataLoader Validation) Loaders() =>
        (new DataLoader(Blobs.Make(96, 4, 3, seed: 1), batchSize: 16, shuffle: true, seed: 3),
         new DataLoader(Blobs.Make(30, 4, 3, seed: 2), batchSize: 10));

    private static TrainerOptions Options(int maxEpochs, params Callback[] callbacks)
    {
        var options = new TrainerOptions { MaxEpochs = maxEpochs, EnableProgressBar = false, GradientClipNorm = 1f };
        foreach (Callback callback in callbacks)
            options.Callbacks.Add(callback);
        return options;
    }

    private static int[] Bits(ScheduledClassifier model) => model.Parameters.Buffer.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void StoppingAtEpochThreeAndResumingGivesBitIdenticalParameters()
    {
        var (train, validation) = Loaders();
        var uninterrupted = new ScheduledClassifier(seed: 5);
        var reference = new ModelCheckpoint(_directory["uninterrupted"], monitor: "val_loss", saveTopK: 2);
        using (var trainer = new Trainer(Options(6, reference, new EarlyStopping("val_loss", patience: 50))))
            Assert.Equal(6, trainer.Fit(uninterrupted, train, validation).Epochs);

        var first = new ScheduledClassifier(seed: 5);
        using (var trainer = new Trainer(Options(3, new ModelCheckpoint(_directory["resumed"], monitor: "val_loss", saveTopK: 2, saveLast: true))))
            Assert.Equal(3, trainer.Fit(first, train, validation).Epochs);
        Assert.NotEqual(Bits(uninterrupted), Bits(first));

        // A differently initialised model: everything must come from the checkpoint.
        var resumed = new ScheduledClassifier(seed: 99);
        var checkpoints = new ModelCheckpoint(_directory["resumed"], monitor: "val_loss", saveTopK: 2, saveLast: true);
        FitResult result;
        using (var trainer = new Trainer(Options(6, checkpoints, new EarlyStopping("val_loss", patience: 50))))
        {
            result = trainer.Fit(resumed, train, validation, resumeFrom: _directory["resumed/last.safetensors"]);
            Assert.Equal(36, trainer.GlobalStep);
        }

        Assert.Equal(6, result.Epochs);
        Assert.Equal(Bits(uninterrupted), Bits(resumed));
        Assert.Equal(new[] { "fit_start", "epoch_start 3", "validation_end 3", "epoch_end 3" }, resumed.Events.Take(4));
        // The top-k bookkeeping continued too: the same epochs are kept, with the same scores.
        Assert.Equal(
            reference.BestKModels.Select(p => (Path.GetFileName(p.Key), p.Value)).Order(),
            checkpoints.BestKModels.Select(p => (Path.GetFileName(p.Key), p.Value)).Order());
    }

    [Fact]
    public void ResumingAfterACrashFromAMidEpochCheckpointWithGradientAccumulationIsExact()
    {
        var (train, validation) = Loaders();
        TrainerOptions Mid(int maxEpochs, params Callback[] callbacks)
        {
            TrainerOptions options = Options(maxEpochs, callbacks);
            options.ValCheckInterval = 0.5;          // validate (and checkpoint) after batches 3 and 6 of 6
            options.AccumulateGradBatches = 2;       // batch 3 leaves one batch's gradient accumulated
            return options;
        }

        var uninterrupted = new ScheduledClassifier(seed: 5);
        using (var trainer = new Trainer(Mid(5)))
            trainer.Fit(uninterrupted, train, validation);

        // Crash at the 4th batch of epoch 2, after the mid-epoch checkpoint of batch 3.
        var crashed = new ScheduledClassifier(seed: 5);
        var crash = new CrashAfterBatches(6 + 6 + 4);
        using (var trainer = new Trainer(Mid(5, crash, new ModelCheckpoint(_directory["mid"], saveTopK: 0, saveLast: true))))
            Assert.Throws<CrashAfterBatches.Crash>(() => trainer.Fit(crashed, train, validation));

        var resumed = new ScheduledClassifier(seed: 1);
        using (var trainer = new Trainer(Mid(5, new ModelCheckpoint(_directory["mid"], saveTopK: 0, saveLast: true))))
            trainer.Fit(resumed, train, validation, resumeFrom: _directory["mid/last.safetensors"]);

        Assert.Equal(Bits(uninterrupted), Bits(resumed));
        Assert.Equal("epoch_start 2", resumed.Events[1]);
    }

    [Fact]
    public void AWeightsOnlyCheckpointCannotBeResumedFromButLoadsIntoAModel()
    {
        var (train, validation) = Loaders();
        var model = new ScheduledClassifier(seed: 5);
        var checkpoint = new ModelCheckpoint(_directory["weights"], saveWeightsOnly: true);
        using (var trainer = new Trainer(Options(1, checkpoint)))
            trainer.Fit(model, train, validation);

        var other = new ScheduledClassifier(seed: 6);
        using var again = new Trainer(Options(2));
        var error = Assert.Throws<InvalidCheckpointException>(() => again.Fit(other, train, validation, resumeFrom: checkpoint.BestModelPath));
        Assert.Contains("only weights", error.Message);

        other.Parameters.LoadSafeTensors(checkpoint.BestModelPath!);
        Assert.Equal(Bits(model), Bits(other));
    }

    /// <summary>Throws from the N-th training batch, as a crash mid-run would.</summary>
    private sealed class CrashAfterBatches(int batches) : Callback
    {
        private int _seen;

        public override void OnTrainBatchEnd(Trainer trainer, ITrainableModel model, float loss)
        {
            if (++_seen == batches)
                throw new Crash();
        }

        public sealed class Crash : Exception;
    }
}
