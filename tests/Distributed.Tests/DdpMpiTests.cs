using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Distributed.Tests;

/// <summary>
/// Strategy.Ddp under a real <c>mpirun -np 2 --oversubscribe</c>: equivalence with one rank at the
/// global batch, the all-reduce traffic, exact resume, and failures that end the job (never a hang).
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class DdpMpiTests
{
    private const int Steps = 20;

    /// <summary>
    /// Two ranks at batch 16 train the same parameters as one rank at batch 32 after 20 SGD steps:
    /// the ranks agree bit for bit (they apply the same all-reduced mean), and they match the single
    /// rank within 1e-6 of the largest parameter. Not bit-identical: one rank sums the 32 examples'
    /// gradients in one GEMM reduction, two ranks sum 16 each and then add the halves, a different
    /// order of float additions.
    /// </summary>
    [MpiFact]
    public void TwoRanksAtHalfTheBatchMatchOneRankAtTheWholeBatch()
    {
        WorkerRun single = WorkerRun.Start(0, $"--batch 32 --steps {Steps}");
        WorkerRun ddp = WorkerRun.Start(2, $"--batch 16 --steps {Steps}");
        Assert.True(single.ExitCode == 0, single.Log);
        Assert.True(ddp.ExitCode == 0, ddp.Log);

        Assert.Equal(1, single.Stat(0, "world"));
        Assert.Equal(2, ddp.Stat(0, "world"));
        Assert.Equal(Steps, ddp.Stat(0, "steps"));
        Assert.Equal(ddp.Parameters(0), ddp.Parameters(1));

        float[] expected = single.Parameters(0), actual = ddp.Parameters(0);
        float largest = expected.Max(Math.Abs);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-6f * largest, $"largest difference {worst} against largest parameter {largest}: {worst / largest:E2} relative");
        // Averaging really happened: the model moved, and a rank alone at batch 16 would not land here.
        Assert.NotEqual(expected, actual);
        // The logged loss is the mean over both ranks' examples, on both ranks: one rank alone reports its half's.
        Assert.Equal(single.Stat(0, "loss"), ddp.Stat(0, "loss"), 1e-6);
        Assert.Equal(ddp.Stat(0, "loss"), ddp.Stat(1, "loss"));
        Assert.Equal("True", ddp.Stats(0)["global_zero"]);
        Assert.Equal("False", ddp.Stats(1)["global_zero"]);
    }

    /// <summary>
    /// Every step all-reduces exactly the gradient, parameter count × 4 bytes, once: in SmallMlp's 4
    /// per-tensor buckets with the cap at 0 (blocking, each parameter updated as its bucket is
    /// reduced), and in one merged bucket at the default 25 MiB (started during the backward pass,
    /// completed before the update). Both give the same parameters bit for bit: a 2-rank sum is the
    /// same float whichever bucket carries it.
    /// </summary>
    [MpiFact]
    public void EachStepAllReducesTheGradientBytesOnce()
    {
        WorkerRun perTensor = WorkerRun.Start(2, "--batch 16 --steps 7 --bucket-mb 0");
        WorkerRun merged = WorkerRun.Start(2, "--batch 16 --steps 7");
        Assert.True(perTensor.ExitCode == 0, perTensor.Log);
        Assert.True(merged.ExitCode == 0, merged.Log);
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal(7 * perTensor.Stat(rank, "parameters") * sizeof(float), perTensor.Stat(rank, "bytes"));
            Assert.Equal(7 * merged.Stat(rank, "parameters") * sizeof(float), merged.Stat(rank, "bytes"));
        }
        Assert.Equal(4, perTensor.Stat(0, "buckets"));
        Assert.Equal(1, merged.Stat(0, "buckets"));
        Assert.Equal(perTensor.Parameters(0), merged.Parameters(0));
    }

    /// <summary>
    /// Clipping to a norm every step exceeds uses the global (averaged) gradient's norm: 2 clipped
    /// ranks match 1 clipped rank at the whole batch (a rank clipping by its own half's norm would not).
    /// </summary>
    [MpiFact]
    public void ClippingUsesTheGlobalGradientsNorm()
    {
        WorkerRun single = WorkerRun.Start(0, "--batch 32 --steps 10 --clip 0.05");
        WorkerRun ddp = WorkerRun.Start(2, "--batch 16 --steps 10 --clip 0.05");
        Assert.True(ddp.ExitCode == 0, ddp.Log);
        Assert.Equal(ddp.Parameters(0), ddp.Parameters(1));
        float[] expected = single.Parameters(0), actual = ddp.Parameters(0);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-6f * expected.Max(Math.Abs), $"largest difference {worst}");
    }

    /// <summary>10 steps, a checkpoint, 10 more from it on the same 2 ranks: the same parameters, bit for bit, as 20 straight.</summary>
    [MpiFact]
    public void ResumingOnTheSameWorldSizeIsExact()
    {
        string checkpoint = Path.Combine(Directory.CreateTempSubdirectory("dsl-ddp-ckpt-").FullName, "half.safetensors");
        WorkerRun first = WorkerRun.Start(2, $"--batch 16 --steps 10 --save \"{checkpoint}\"");
        Assert.True(first.ExitCode == 0, first.Log);
        WorkerRun resumed = WorkerRun.Start(2, $"--batch 16 --steps {Steps} --resume \"{checkpoint}\"");
        WorkerRun straight = WorkerRun.Start(2, $"--batch 16 --steps {Steps}");
        Assert.True(resumed.ExitCode == 0, resumed.Log);
        Assert.Equal(straight.Parameters(0), resumed.Parameters(0));

        WorkerRun alone = WorkerRun.Start(0, $"--batch 32 --steps {Steps} --resume \"{checkpoint}\"");
        Assert.Equal(3, alone.ExitCode);
        Assert.Contains("saved by a run of 2 rank(s) and this run has 1", alone.Log);
    }

    /// <summary>A rank killed in the middle of a step ends the job within seconds; mpirun's message names the rank.</summary>
    [MpiFact]
    public void ARankDyingMidStepEndsTheJobNamingIt()
    {
        WorkerRun ddp = WorkerRun.Start(2, "--batch 16 --die-rank 1 --die-step 5", TimeSpan.FromSeconds(45));
        Assert.NotEqual(0, ddp.ExitCode);
        Assert.Contains("rank 1", ddp.Log);
        Assert.False(ddp.Finished(0), ddp.Log);
    }

    /// <summary>
    /// A rank that stalls mid-step makes its peer time out (2 s here) with a message naming the
    /// waiting rank and the collective, and the job ends. The stall is in the user's hook, which runs
    /// after the step's all-reduce: the peer waits either in a later bucket's all-reduce of step 5 or,
    /// when one merged bucket carries the whole gradient, in the reduction of the metrics after the
    /// update (step 6 by then).
    /// </summary>
    [MpiFact]
    public void AHungPeerIsATimeoutNotAHang()
    {
        WorkerRun ddp = WorkerRun.Start(2, "--batch 16 --hang-rank 1 --hang-step 5 --timeout 2", TimeSpan.FromSeconds(45));
        Assert.NotEqual(0, ddp.ExitCode);
        Assert.Matches("Rank 0 of 2 failed at epoch 0, step [56]: DistributedTimeoutException", ddp.Log);
        Assert.Contains("a peer rank is dead or hung", ddp.Log);
        Assert.True(ddp.Elapsed < TimeSpan.FromSeconds(30), $"took {ddp.Elapsed}");
    }

    /// <summary>Ranks that build different models fail on every rank before any step, each naming both models.</summary>
    [MpiFact]
    public void DifferentModelsFailOnEveryRankBeforeTheFirstStep()
    {
        WorkerRun ddp = WorkerRun.Start(2, "--batch 16 --wide-rank 1");
        Assert.NotEqual(0, ddp.ExitCode);
        Assert.Contains("Rank 0: the ranks hold different models (rank 0: 804 parameters", ddp.Log);
        Assert.Contains("Rank 1: the ranks hold different models", ddp.Log);
        Assert.False(ddp.Finished(0));
    }
}

/// <summary>DDP on OpenCL devices (PoCL here): the gradient hook's device path, each bucket downloaded, all-reduced and uploaded.</summary>
[Collection(MpiCollection.Name)]
public sealed class DdpOpenClMpiTests
{
    /// <summary>Two ranks on OpenCL at batch 16 match one CPU process at batch 32 after 20 steps (within 1e-5 of the largest parameter: the device's kernels sum in their own order), and agree with each other bit for bit.</summary>
    [MpiOpenClFact]
    public void TwoOpenClRanksMatchOneCpuProcessAtTheWholeBatch()
    {
        WorkerRun cpu = WorkerRun.Start(0, "--batch 32 --steps 20");
        WorkerRun ddp = WorkerRun.Start(2, "--batch 16 --steps 20 --device opencl", TimeSpan.FromSeconds(120));
        Assert.True(ddp.ExitCode == 0, ddp.Log);
        Assert.Equal(ddp.Parameters(0), ddp.Parameters(1));
        Assert.Equal(20 * 804 * sizeof(float), ddp.Stat(0, "bytes"));
        float[] expected = cpu.Parameters(0), actual = ddp.Parameters(0);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5f * expected.Max(Math.Abs), $"largest difference {worst}");
    }
}
