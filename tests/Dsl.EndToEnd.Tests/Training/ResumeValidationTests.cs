using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// Resuming from a checkpoint whose metadata is malformed (a number where a string is expected,
/// null, a huge epoch, a callback state of the wrong kind) fails with one exception that names the
/// file and the field, and leaves the model, the optimizer and the callbacks as they were.
/// </summary>
public sealed class ResumeValidationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static DataLoader Train() => new(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);

    private static DataLoader Validation() => new(Blobs.Make(30, 4, 3, seed: 2), 10);

    private TrainerOptions Options(int maxEpochs)
    {
        var options = new TrainerOptions { MaxEpochs = maxEpochs, EnableProgressBar = false };
        options.Callbacks.Add(new EarlyStopping("val_loss", patience: 50));
        options.Callbacks.Add(new ModelCheckpoint(_directory["run"], monitor: "val_loss", saveTopK: 2, saveLast: true));
        return options;
    }

    [Theory]
    [InlineData("optimizer/exp_avg_sq/hidden.weight", -1f)]
    [InlineData("optimizer/exp_avg/output.bias", float.NaN)]
    [InlineData("optimizer/exp_avg/hidden.weight", float.PositiveInfinity)]
    public void AnOptimizerStateNoUpdateCouldHaveLeftIsRefused(string tensor, float value)
    {
        using (var trainer = new Trainer(Options(1)))
        {
            trainer.Fit(new ScheduledClassifier(seed: 1), Train(), Validation());
            trainer.SaveCheckpoint(_directory["good.safetensors"]);
        }

        SafeTensorsFile good = SafeTensors.Load(_directory["good.safetensors"]);
        SafeTensor original = good[tensor];
        float[] values = original.ToFloats();
        values[0] = value;
        string path = _directory["bad.safetensors"];
        SafeTensors.Save(path, good.Values.Select(t => t.Name == tensor ? SafeTensor.FromFloats(tensor, original.Shape, values) : t), good.Metadata);

        var model = new ScheduledClassifier(seed: 9);
        float[] before = model.Parameters.Buffer.ToArray();
        using var resuming = new Trainer(Options(2));
        var error = Assert.Throws<InvalidCheckpointException>(() => resuming.Fit(model, Train(), Validation(), resumeFrom: path));

        Assert.Equal(tensor, error.Field);
        Assert.Contains($"tensor '{tensor}' holds", error.Message);
        Assert.Equal(before, model.Parameters.Buffer);
        Assert.Equal(0, resuming.GlobalStep);
    }

    [Theory]
    [InlineData("dsl.epoch", "2147483647", "dsl.epoch")]
    [InlineData("dsl.callbacks", "{\"EarlyStopping{monitor=val_loss, mode=Min}\": 5}", "dsl.callbacks")]
    [InlineData("dsl.callbacks|EarlyStopping|wait_count", "\"three\"", "wait_count")]
    [InlineData("dsl.callbacks|EarlyStopping|wait_count", "null", "wait_count")]
    [InlineData("dsl.callbacks|EarlyStopping|stopped_epoch", "1e300", "stopped_epoch")]
    [InlineData("dsl.callbacks|EarlyStopping|best_score", "0.5", "best_score")]
    [InlineData("dsl.callbacks|EarlyStopping|best_score", "null", "best_score")]
    [InlineData("dsl.callbacks|EarlyStopping|best_score", "\"NaN\"", "best_score")]
    [InlineData("dsl.callbacks|ModelCheckpoint|best_k_models|*", "3", "best_k_models")]
    [InlineData("dsl.callbacks|ModelCheckpoint|best_k_models", "[]", "best_k_models")]
    [InlineData("dsl.callbacks|ModelCheckpoint|best_model_path", "7", "best_model_path")]
    [InlineData("dsl.epoch_means|train_loss|0", "\"x\"", "dsl.epoch_means")]
    [InlineData("dsl.epoch_means|train_loss", "[1, 0]", "dsl.epoch_means")]
    [InlineData("dsl.metrics|val_loss", "\"low\"", "dsl.metrics")]
    public void AMalformedFieldIsRefusedWithItsNameAndChangesNothing(string target, string json, string field)
    {
        var trained = new ScheduledClassifier(seed: 1);
        using (var trainer = new Trainer(Options(2)))
        {
            trainer.Fit(trained, Train(), Validation());
            trainer.SaveCheckpoint(_directory["good.safetensors"]);
        }

        string path = _directory["bad.safetensors"];
        CheckpointEdits.Write(_directory["good.safetensors"], path, target, json);

        var model = new ScheduledClassifier(seed: 9);
        float[] before = model.Parameters.Buffer.ToArray();
        TrainerOptions options = Options(4);
        var stopping = (EarlyStopping)options.Callbacks[0];
        var checkpoints = (ModelCheckpoint)options.Callbacks[1];
        using var resuming = new Trainer(options);
        var error = Assert.Throws<InvalidCheckpointException>(() => resuming.Fit(model, Train(), Validation(), resumeFrom: path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(target.Split('|')[0], error.Field);
        Assert.Contains(field, error.Message);
        Assert.Equal(before, model.Parameters.Buffer);
        Assert.Equal(0, resuming.GlobalStep);
        Assert.All(resuming.OptimizerState!.Buffers, b => Assert.All(b.Values.ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(double.PositiveInfinity, stopping.BestScore);
        Assert.Equal(0, stopping.WaitCount);
        Assert.Empty(checkpoints.BestKModels);
    }
}
