using System;
using System.IO;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// The top-k list a checkpoint restores is data, not authority: a crafted list naming a file
/// outside the checkpoint folder (absolute, through <c>..</c>, or not a name this run writes) is
/// never deleted when it falls out of the top k.
/// </summary>
public sealed class CheckpointEvictionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static DataLoader Train() => new(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);

    private TrainerOptions Options(int maxEpochs)
    {
        // No monitor: the newest checkpoint is kept, so the listed file (step 0) is evicted at the next save.
        var options = new TrainerOptions { MaxEpochs = maxEpochs, EnableProgressBar = false };
        options.Callbacks.Add(new ModelCheckpoint(_directory["run"], saveTopK: 1));
        return options;
    }

    /// <summary>Trains an epoch, then resumes from its checkpoint with the top-k list replaced by <paramref name="victim"/>.</summary>
    private void ResumeListing(string victim)
    {
        using (var trainer = new Trainer(Options(1)))
        {
            trainer.Fit(new ScheduledClassifier(seed: 1), Train());
            trainer.SaveCheckpoint(_directory["good.safetensors"]);
        }

        string crafted = _directory["crafted.safetensors"];
        string list = new System.Text.Json.Nodes.JsonObject { [victim] = "0" }.ToJsonString();
        CheckpointEdits.Write(_directory["good.safetensors"], crafted, "dsl.callbacks|ModelCheckpoint|best_k_models", list);
        using var resuming = new Trainer(Options(2));
        try
        {
            resuming.Fit(new ScheduledClassifier(seed: 1), Train(), resumeFrom: crafted);
        }
        catch (InvalidCheckpointException error)
        {
            // Refusing the file is one right answer; the test is that the victim survives either way.
            Assert.StartsWith(crafted + ": ", error.Message);
        }
    }

    [Theory]
    [InlineData("outside/victim.safetensors")]
    [InlineData("run/../victim.safetensors")]
    [InlineData("run/notes.txt")]
    [InlineData("run/last.safetensors.bak")]
    public void AListedFileThatThisRunCouldNotHaveWrittenIsNeverDeleted(string relative)
    {
        string victim = _directory[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(victim))!);
        File.WriteAllText(victim, "precious");

        ResumeListing(victim);

        Assert.Equal("precious", File.ReadAllText(victim));
    }

    [Fact]
    public void ALinkNamedLikeACheckpointIsRemovedButNotWhatItPointsTo()
    {
        string target = _directory["outside/precious.bin"];
        Directory.CreateDirectory(_directory["outside"]);
        Directory.CreateDirectory(_directory["run"]);
        File.WriteAllText(target, "precious");
        string link = _directory["run/epoch=0-step=0.safetensors"];
        File.CreateSymbolicLink(link, target);

        ResumeListing(link);

        Assert.Equal("precious", File.ReadAllText(target));
    }
}
