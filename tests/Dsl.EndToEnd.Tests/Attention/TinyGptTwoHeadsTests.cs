using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// The GPT with a <c>for</c> over its blocks and a two-head [Forward] (<see cref="TinyGptTwoHeads"/>)
/// trains as <see cref="TinyGpt"/> does: from one seed, on the same batches, the same losses and
/// the same parameters but Aux's, and the same logits; its Aux output is the eager one.
/// </summary>
public class TinyGptTwoHeadsTests(ITestOutputHelper output)
{
    private const int T = TinyGpt.Context, Batch = 4, Steps = 8;

    [Fact]
    public void TrainsAsTheOneHeadForeachFormDoes()
    {
        var oneHead = new TinyGpt(seed: 7);
        var twoHeads = new TinyGptTwoHeads(seed: 7);
        Assert.Equal((TinyGpt.Vocab, TinyGpt.Context, TinyGpt.Width, TinyGpt.Heads, TinyGpt.Layers),
            (TinyGptTwoHeads.Vocab, TinyGptTwoHeads.Context, TinyGptTwoHeads.Width, TinyGptTwoHeads.Heads, TinyGptTwoHeads.Layers));
        int shared = TinyGpt.ParameterCount;
        Assert.Equal(TinyGptTwoHeads.ParameterCount, shared + TinyGpt.Width + 1);
        Assert.Equal(oneHead.Parameters.Buffer, twoHeads.Parameters.Buffer.AsSpan(0, shared).ToArray());
        using TinyGpt.Program one = oneHead.Compile(Device.Cpu, maxBatch: Batch);
        using TinyGptTwoHeads.Program two = twoHeads.Compile(Device.Cpu, maxBatch: Batch);

        (int[] ids, int[] next) = TinyGptTests.RandomText(Batch, seed: 3);
        float first = 0, last = 0, worstLoss = 0;
        for (int step = 0; step < Steps; step++)
        {
            float a = one.TrainStep(ids, next), b = two.TrainStep(ids, next);
            worstLoss = Math.Max(worstLoss, Math.Abs(a - b) / Math.Abs(a));
            if (step == 0) first = b;
            last = b;
        }
        float[] oneParameters = oneHead.Parameters.Buffer, twoParameters = twoHeads.Parameters.Buffer;
        double worstParameter = Enumerable.Range(0, shared).Max(i => Math.Abs(oneParameters[i] - twoParameters[i]) / Math.Max(1e-3, Math.Abs(oneParameters[i])));
        output.WriteLine($"{Steps} steps: loss {first} -> {last}; largest relative difference of the losses {worstLoss:E2}, of the shared parameters {worstParameter:E2}");
        Assert.True(last < first, $"the loss went from {first} to {last}");
        // The same kernels on the same data; only the gradient norm sums Aux's zero gradients in
        // another lane order (its length differs), which may move the clipping factor by an ulp.
        Assert.True(worstLoss <= 1e-6, $"losses differ by {worstLoss:E2}");
        Assert.True(worstParameter <= 1e-5, $"parameters differ by {worstParameter:E2}");

        var oneLogits = new float[Batch * T * TinyGpt.Vocab];
        var twoLogits = new float[oneLogits.Length];
        var aux = new float[Batch * T];
        one.Predict(ids, oneLogits);
        two.Predict(ids, twoLogits, aux);
        Assert.True(oneLogits.Zip(twoLogits).All(p => Math.Abs(p.First - p.Second) <= 1e-4 * Math.Max(1, Math.Abs(p.First))), "the logits differ");
        for (int b = 0; b < Batch; b++)
        {
            var (_, eagerAux) = twoHeads.Forward(Sequences.TokenBatches.Example(ids, b, T));
            for (int t = 0; t < T; t++)
                Assert.True(Math.Abs(aux[b * T + t] - eagerAux.Data[t]) <= 1e-4 * Math.Max(1, Math.Abs(eagerAux.Data[t])), $"example {b} position {t}: aux {aux[b * T + t]}, eager {eagerAux.Data[t]}");
        }
    }
}
