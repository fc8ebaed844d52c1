using System;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// Bad data, bad checkpoints and diverging losses: each error names the file, row or tensor, and
/// nothing already written (parameters, checkpoints) is lost or overwritten with bad values.
/// </summary>
public sealed class TrainerBadInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static TrainerOptions Quiet(int maxEpochs = 1) => new() { MaxEpochs = maxEpochs, EnableProgressBar = false };

    private static DataLoader Train() => new(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);

    private static DataLoader Validation() => new(Blobs.Make(30, 4, 3, seed: 2), 10);

    /// <summary>Sets a learning rate no loss survives when epoch <paramref name="epoch"/> starts.</summary>
    private sealed class Sabotage(int epoch) : Callback
    {
        public override void OnTrainEpochStart(Trainer trainer, ITrainableModel model)
        {
            if (trainer.CurrentEpoch == epoch)
                trainer.OptimizerState!.Optimizer.LearningRate = 1e30f;
        }
    }

    [Fact]
    public void ADivergingLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var healthy = new ScheduledClassifier(seed: 1);
        using (var trainer = new Trainer(Quiet(2)))
            trainer.Fit(healthy, Train(), Validation());

        var model = new ScheduledClassifier(seed: 1);
        var checkpoint = new ModelCheckpoint(_directory.Path, monitor: "val_loss", saveLast: true);
        var options = Quiet(5);
        options.Callbacks.Add(new Sabotage(epoch: 2));
        options.Callbacks.Add(checkpoint);
        using var diverging = new Trainer(options);
        var error = Assert.Throws<TrainingDivergedException>(() => diverging.Fit(model, Train(), Validation()));

        Assert.Contains("Training stopped: the loss of epoch 2, batch ", error.Message);
        Assert.Contains("That batch changed no parameter.", error.Message);
        Assert.Equal(_directory["last.safetensors"], error.LastCheckpoint);
        Assert.Contains(_directory["last.safetensors"] + ", is intact", error.Message);
        Assert.IsType<NonFiniteLossException>(error.InnerException);

        // The checkpoints hold the parameters after epoch 1, exactly those of the healthy run.
        var restored = new ScheduledClassifier(seed: 7);
        restored.Parameters.LoadSafeTensors(_directory["last.safetensors"]);
        Assert.Equal(healthy.Parameters.Buffer, restored.Parameters.Buffer);
        Assert.Equal(new[] { "epoch=1-step=12.safetensors", "last.safetensors" }, Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ALabelOutOfRangeInACsvFileNamesTheFileAndLine()
    {
        string path = _directory["blobs.csv"];
        var rows = Enumerable.Range(0, 8).Select(i => string.Join(",", Enumerable.Repeat(i % 2 == 0 ? "0.5" : "-0.5", 10)) + "," + (i % 2)).ToArray();
        rows[5] = string.Join(",", Enumerable.Repeat("0.5", 10)) + ",7";
        File.WriteAllLines(path, rows);

        var model = new Classifier(seed: 1);
        using var trainer = new Trainer(Quiet());
        var error = Assert.Throws<InvalidDataException>(() => trainer.Fit(model, new DataLoader(CsvDataset.Load(path), 4)));
        Assert.Equal("blobs.csv line 6: Input 'y' has label 7 at example 1; labels must lie in [0, 2).", error.Message);

        // The first batch (lines 1-4) trained; the bad one changed nothing.
        var firstBatchOnly = new Classifier(seed: 1);
        var options = Quiet();
        options.LimitTrainBatches = 1;
        using (var reference = new Trainer(options))
            reference.Fit(firstBatchOnly, new DataLoader(CsvDataset.Load(path), 4));
        Assert.Equal(firstBatchOnly.Parameters.Buffer, model.Parameters.Buffer);
    }

    [Fact]
    public void ANaNFeatureNamesTheExample()
    {
        var data = Blobs.Make(32, 4, 3, seed: 1);
        ((float[])data.Values(0))[4 * 21 + 2] = float.NaN;
        using var trainer = new Trainer(Quiet());
        var error = Assert.Throws<InvalidDataException>(() => trainer.Fit(new ScheduledClassifier(seed: 1), new DataLoader(data, 8)));
        Assert.Contains("example 21", error.Message);
        Assert.Contains("Input 'x' has NaN", error.Message);
    }

    [Fact]
    public void ColumnsThatDoNotMatchTheStepAreRejectedBeforeTraining()
    {
        var wrongWidth = ArrayDataset.FromFeatures(new float[5 * 8], 5, new int[8]);
        using var trainer = new Trainer(Quiet());
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(new ScheduledClassifier(seed: 1), new DataLoader(wrongWidth, 4)));
        Assert.Contains("column 0 'x' holds Float32 [5] per example, but TrainingStep input 0 is x: Float32 [4]", error.Message);

        var floatLabels = new ArrayDataset(
            (new ColumnInfo("x", ColumnType.Float32, new[] { 4 }), new float[32]),
            (new ColumnInfo("y", ColumnType.Float32, Array.Empty<int>()), new float[8]));
        error = Assert.Throws<ArgumentException>(() => trainer.Fit(new ScheduledClassifier(seed: 1), new DataLoader(floatLabels, 4)));
        Assert.Contains("column 1 'y' holds Float32 [] per example, but TrainingStep input 1 is y: labels of 3 classes", error.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedAndChangesNothing()
    {
        var other = new Classifier(seed: 1);
        using (var trainer = new Trainer(Quiet()))
        {
            trainer.Fit(other, new DataLoader(Blobs.Make(32, 10, 2, seed: 1), 8));
            trainer.SaveCheckpoint(_directory["classifier.safetensors"]);
        }

        var model = new ScheduledClassifier(seed: 1);
        float[] before = model.Parameters.Buffer.ToArray();
        using var resuming = new Trainer(Quiet(2));
        var error = Assert.Throws<InvalidCheckpointException>(() => resuming.Fit(model, Train(), resumeFrom: _directory["classifier.safetensors"]));
        Assert.StartsWith(_directory["classifier.safetensors"] + ": ", error.Message);
        Assert.Contains("tensor 'hidden.weight' has shape [16, 10]; the model expects [8, 4]", error.Message);
        Assert.Equal(before, model.Parameters.Buffer);
        Assert.Equal(0, resuming.GlobalStep);
    }

    [Fact]
    public void ATruncatedCheckpointIsRefusedAndChangesNothing()
    {
        var model = new ScheduledClassifier(seed: 1);
        using (var trainer = new Trainer(Quiet()))
        {
            trainer.Fit(model, Train());
            trainer.SaveCheckpoint(_directory["whole.safetensors"]);
        }

        byte[] bytes = File.ReadAllBytes(_directory["whole.safetensors"]);
        File.WriteAllBytes(_directory["cut.safetensors"], bytes[..(bytes.Length - 100)]);
        var fresh = new ScheduledClassifier(seed: 2);
        float[] before = fresh.Parameters.Buffer.ToArray();
        using var resuming = new Trainer(Quiet(2));
        var error = Assert.Throws<InvalidCheckpointException>(() => resuming.Fit(fresh, Train(), resumeFrom: _directory["cut.safetensors"]));
        Assert.StartsWith(_directory["cut.safetensors"] + ": ", error.Message);
        Assert.Equal(before, fresh.Parameters.Buffer);
    }

    [Fact]
    public void ACheckpointWrittenWithAnotherOptimizerIsRefused()
    {
        var adam = new ScheduledClassifier(seed: 1);
        using (var trainer = new Trainer(Quiet()))
        {
            trainer.Fit(adam, Train());
            trainer.SaveCheckpoint(_directory["adamw.safetensors"]);
        }

        var sgd = new MomentumClassifier(seed: 1);
        float[] before = sgd.Parameters.Buffer.ToArray();
        using var resuming = new Trainer(Quiet(2));
        var error = Assert.Throws<InvalidCheckpointException>(() => resuming.Fit(sgd, Train(), resumeFrom: _directory["adamw.safetensors"]));
        Assert.Contains("tensor 'optimizer/momentum_buffer/hidden.weight' is missing", error.Message);
        Assert.Equal(before, sgd.Parameters.Buffer);

        // The weights alone load: the names and shapes are the same.
        sgd.Parameters.LoadSafeTensors(_directory["adamw.safetensors"]);
        Assert.Equal(adam.Parameters.Buffer, sgd.Parameters.Buffer);
    }

    [Fact]
    public void AModelWithoutAValidationStepCannotTakeAValidationLoader()
    {
        using var trainer = new Trainer(Quiet());
        var error = Assert.Throws<NotSupportedException>(() => trainer.Fit(new MomentumClassifier(seed: 1), Train(), Validation()));
        Assert.Equal("MomentumClassifier has no [ValidationStep] method, so it cannot use the validation loader given to Fit.", error.Message);
    }
}
