using System;
using System.Linq;
using Xunit;

namespace Dsl.Distributed.Tests;

/// <summary>
/// Strategy.Ddp with buffers (BatchNormMlp: a BatchNorm1d's running_mean, running_var and
/// num_batches_tracked) on 2 ranks of a real mpirun, unshuffled so that one process can replay
/// each rank's share: rank 0's buffers broadcast before every training forward and at the end of
/// the fit (TrainerOptions.BroadcastBuffers, DDP's broadcast_buffers), and each rank normalising
/// with its own batch's statistics, as PyTorch DDP without SyncBatchNorm.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class DdpBufferMpiTests
{
    private const int Steps = 12;
    private const string Common = "--model batchnorm --shuffle 0";

    /// <summary>
    /// After 12 steps both ranks hold rank 0's buffers and the same parameters, bit for bit; each
    /// broadcast carries exactly the buffers (65 floats), once per step after the start-up broadcast
    /// of the whole store. Without the broadcast rank 1's running statistics follow its own batches
    /// and differ, while rank 0's buffers and every parameter are unchanged: the buffers are
    /// written by the training forward but never read by it (training normalises with the batch's statistics).
    /// </summary>
    [MpiFact]
    public void EveryRankEndsWithRankZerosBuffers()
    {
        WorkerRun on = WorkerRun.Start(2, $"{Common} --batch 16 --steps {Steps}");
        WorkerRun off = WorkerRun.Start(2, $"{Common} --batch 16 --steps {Steps} --broadcast-buffers 0");
        Assert.True(on.ExitCode == 0, on.Log);
        Assert.True(off.ExitCode == 0, off.Log);

        int trainable = (int)on.Stat(0, "trainable"), count = (int)on.Stat(0, "parameters");
        Assert.Equal(32 + 32 + 1, count - trainable); // running_mean[32], running_var[32], num_batches_tracked
        Assert.Equal(on.Parameters(0), on.Parameters(1));
        float[] tracked = [on.Parameters(0)[^1], on.Parameters(1)[^1]];
        Assert.Equal([Steps, Steps], tracked);
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal((count + Steps * (count - trainable)) * sizeof(float), on.Stat(rank, "bytes_broadcast"));
            Assert.Equal(count * sizeof(float), off.Stat(rank, "bytes_broadcast"));
        }

        float[] rank0 = off.Parameters(0), rank1 = off.Parameters(1);
        Assert.Equal(rank0[..trainable], rank1[..trainable]);
        Assert.NotEqual(rank0[trainable..], rank1[trainable..]);
        Assert.Equal(on.Parameters(0), rank0);
    }

    /// <summary>
    /// The gradient DDP averages is that of each rank's 16 examples normalised by their own
    /// statistics: one process replaying the ranks' shares as micro-batches of 16, accumulating 2
    /// per step, trains the same parameters (within 1e-6 of the largest; bit for bit when measured)
    /// and logs the same epoch-mean loss. One process at the whole batch of 32 normalises by the
    /// 32 examples' statistics, a different function: its parameters differ by more than 1e-3 of the
    /// largest (1.5e-2 measured), so DDP with BatchNorm matches the concatenated batch only with SyncBatchNorm, which is not offered.
    /// </summary>
    [MpiFact]
    public void RanksNormaliseWithTheirOwnBatchStatistics()
    {
        WorkerRun ddp = WorkerRun.Start(2, $"{Common} --batch 16 --steps {Steps}");
        WorkerRun replay = WorkerRun.Start(0, $"{Common} --batch 16 --steps {Steps} --accumulate 2 --deal 2");
        WorkerRun whole = WorkerRun.Start(0, $"{Common} --batch 32 --steps {Steps}");
        Assert.True(ddp.ExitCode == 0, ddp.Log);
        Assert.True(replay.ExitCode == 0, replay.Log);
        Assert.True(whole.ExitCode == 0, whole.Log);

        int trainable = (int)ddp.Stat(0, "trainable");
        float[] actual = ddp.Parameters(0)[..trainable];
        Assert.True(Relative(replay.Parameters(0)[..trainable], actual) <= 1e-6, $"against the replay: {Relative(replay.Parameters(0)[..trainable], actual):E2}");
        Assert.Equal(replay.Stat(0, "loss_epoch"), ddp.Stat(0, "loss_epoch"), 1e-6);
        Assert.True(Relative(whole.Parameters(0)[..trainable], actual) > 1e-3, $"against the whole batch: {Relative(whole.Parameters(0)[..trainable], actual):E2}");
    }

    private static double Relative(float[] expected, float[] actual) =>
        expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / expected.Max(Math.Abs);
}
