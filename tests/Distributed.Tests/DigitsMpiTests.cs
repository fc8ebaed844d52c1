using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Dsl.Distributed.Tests;

/// <summary>The Digits sample under mpirun, as its README launches it.</summary>
[Collection(MpiCollection.Name)]
public sealed partial class DigitsMpiTests
{
    /// <summary>
    /// 2 ranks at batch 16 reach the test accuracy of 1 rank at batch 32 (the same global batch):
    /// the same held-out digits right, a test loss within 1e-3, and only rank 0 wrote logs and
    /// checkpoints (one version directory per logger). 12 epochs keep it short.
    /// </summary>
    [MpiFact]
    public void TwoRanksReachTheTestAccuracyOfOne()
    {
        WorkerRun single = WorkerRun.Start(0, "--epochs 12 --batch-size 32", program: "Digits.dll");
        WorkerRun ddp = WorkerRun.Start(2, "--epochs 12 --batch-size 16", program: "Digits.dll");
        Assert.True(single.ExitCode == 0, single.Log);
        Assert.True(ddp.ExitCode == 0, ddp.Log);

        (double accuracy, double loss) alone = Tested(single.Log), together = Tested(ddp.Log);
        // The two runs add the same gradients in a different order (one sum of 32 against two sums
        // of 16), so on another machine the best epoch or one borderline test digit may differ:
        // allow one of the 269 held-out examples.
        Assert.True(Math.Abs(alone.accuracy - together.accuracy) <= 100.0 / 269 + 1e-9,
            $"1 rank: {alone.accuracy} %, 2 ranks: {together.accuracy} %");
        Assert.Equal(alone.loss, together.loss, 1e-3);
        Assert.True(alone.accuracy > 90, single.Log);
        // Rank 1 prints nothing: one result line in the job's output.
        Assert.Single(TestLine().Matches(ddp.Log));
        Assert.Equal(["version_0"], Directory.GetDirectories(Path.Combine(ddp.Output, "logs", "default")).Select(Path.GetFileName));
        Assert.Equal(["version_0"], Directory.GetDirectories(Path.Combine(ddp.Output, "runs", "default")).Select(Path.GetFileName));
    }

    private static (double Accuracy, double Loss) Tested(string log)
    {
        Match line = TestLine().Match(log);
        Assert.True(line.Success, log);
        return (double.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(line.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Test accuracy ([0-9.]+) %, test loss ([0-9.]+)")]
    private static partial Regex TestLine();
}
