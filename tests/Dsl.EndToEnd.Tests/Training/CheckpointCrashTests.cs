using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// What a crash while checkpointing leaves behind: the next run in the folder removes the temp
/// files its writes left (and no one else's), and <c>last</c> is never older than the newest
/// top-k checkpoint.
/// </summary>
public sealed class CheckpointCrashTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static DataLoader Train() => new(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);

    [Fact]
    public void TheNextRunRemovesTheTempFilesAKilledWriteLeftAndNoOneElses()
    {
        Directory.CreateDirectory(_directory["run"]);
        string abandoned = _directory["run/.epoch=3-step=24.safetensors.0123456789ab.dsl-tmp"];
        File.WriteAllBytes(abandoned, new byte[1 << 20]);
        string[] foreign =
        [
            _directory["run/download.tmp"],
            _directory["run/epoch=3-step=24.safetensors.0123456789ab.tmp"],
            _directory["run/.notes.dsl-tmp"],
            _directory["run/.a.0123456789ab.dsl-tmp.keep"],
        ];
        foreach (string path in foreign)
            File.WriteAllText(path, "not the trainer's");

        var options = new TrainerOptions { MaxEpochs = 1, EnableProgressBar = false };
        options.Callbacks.Add(new ModelCheckpoint(_directory["run"], saveLast: true));
        using (var trainer = new Trainer(options))
            trainer.Fit(new ScheduledClassifier(seed: 1), Train());

        Assert.False(File.Exists(abandoned));
        Assert.All(foreign, path => Assert.Equal("not the trainer's", File.ReadAllText(path)));
    }

    [Fact]
    public void ACrashBetweenTheTwoWritesOfASavePointLeavesLastAtLeastAsNewAsTheTopK()
    {
        var model = new CrashingWrites(new ScheduledClassifier(seed: 1));
        var options = new TrainerOptions { MaxEpochs = 4, EnableProgressBar = false };
        options.Callbacks.Add(new ArmAtEpoch(model, epoch: 2));
        options.Callbacks.Add(new ModelCheckpoint(_directory["run"], saveTopK: -1, saveLast: true));
        using (var trainer = new Trainer(options))
            Assert.Throws<CrashingWrites.Crash>(() => trainer.Fit(model, Train()));

        long last = StepOf(_directory["run/last.safetensors"]);
        long newestTopK = Directory.GetFiles(_directory["run"], "epoch=*.safetensors").Max(StepOf);
        Assert.True(last >= newestTopK, $"last.safetensors holds step {last}, older than the top-k checkpoint of step {newestTopK}.");
        Assert.Equal(18, last);
    }

    private static long StepOf(string path) =>
        long.Parse(SafeTensors.Load(path).Metadata["dsl.global_step"], CultureInfo.InvariantCulture);

    /// <summary>
    /// A model whose checkpoints fail, as a kill would stop them, from the second write after it is
    /// armed: a checkpoint reads the model's name once, before its file is created.
    /// </summary>
    private sealed class CrashingWrites(ITrainableModel inner) : ITrainableModel
    {
        private int _writesLeft = int.MaxValue;

        public string Name => --_writesLeft < 0 ? throw new Crash() : inner.Name;

        public string Summary => inner.Summary;

        public ParameterStore Parameters => inner.Parameters;

        public CompiledProgram Compile(Device device, int maxBatch, LossReduction lossReduction) => inner.Compile(device, maxBatch, lossReduction);

        public void Arm() => _writesLeft = 1;

        public sealed class Crash : Exception;
    }

    /// <summary>Arms the crash at the end of one epoch, before the checkpoint callback runs.</summary>
    private sealed class ArmAtEpoch(CrashingWrites model, int epoch) : Callback
    {
        public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel fitted)
        {
            if (trainer.CurrentEpoch == epoch)
                model.Arm();
        }
    }
}
