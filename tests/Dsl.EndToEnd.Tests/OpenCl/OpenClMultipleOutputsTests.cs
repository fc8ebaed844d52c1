using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// A <c>[Forward]</c> that returns a tuple (<see cref="TwoHeads"/>) on OpenCL: the typed Predict
/// reads each output back into its own span, as the CPU program fills them, and an empty span
/// skips its output on both. (The whole training run's parity is in <see cref="OpenClParityTests"/>.)
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClMultipleOutputsTests(OpenClDeviceFixture fixture)
{
    private const int Examples = 19;

    [OpenClFact]
    public void EachOutputMatchesTheCpuAndAnEmptySpanSkipsIt()
    {
        var model = new TwoHeads(seed: 3);
        using TwoHeads.Program cpu = model.Compile(Device.Cpu, maxBatch: 32);
        using TwoHeads.Program openCl = model.Compile(fixture.Device, maxBatch: 32);
        var random = new Random(5);
        float[] x = Enumerable.Range(0, Examples * TwoHeads.Inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        float[] cpuLogits = new float[Examples * TwoHeads.Classes], cpuScore = new float[Examples];
        float[] openClLogits = new float[Examples * TwoHeads.Classes], openClScore = new float[Examples];
        cpu.Predict(x, cpuLogits, cpuScore);
        openCl.Predict(x, openClLogits, openClScore);

        Assert.True(Difference.Of(cpuLogits, openClLogits).MaxRelative <= 1e-5, $"logits differ by {Difference.Of(cpuLogits, openClLogits)}");
        Assert.True(Difference.Of(cpuScore, openClScore).MaxRelative <= 1e-5, $"scores differ by {Difference.Of(cpuScore, openClScore)}");
        Assert.Contains(cpuScore, s => s != 0);

        // The score alone: the logits' span is empty, so nothing is read back into it.
        float[] scoreOnly = new float[Examples];
        openCl.Predict(x, default, scoreOnly);
        Assert.Equal(openClScore, scoreOnly);
    }
}
