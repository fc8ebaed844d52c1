using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.TensorOps;

/// <summary>
/// <see cref="HandAttention"/>, causal self-attention from Split, Reshape, Transpose, MatMul,
/// Where, CausalMask, Softmax, Mean, Variance and Concat, compiled for the CPU against its eager
/// double-precision reference: the logits of every position, the batch loss, the gradient against
/// central differences of the eager loss, causality, and a few training steps.
/// </summary>
public class HandAttentionTests(ITestOutputHelper output)
{
    private const int T = HandAttention.Context;

    private static (int[] Ids, int[] Next) RandomText(int batch, int seed) =>
        TokenBatches.Random(batch, T, HandAttention.Vocab, seed);

    private static Tokens Example(int[] ids, int b) => TokenBatches.Example(ids, b, T);

    private static double EagerBatchLoss(HandAttention model, int[] ids, int[] next, int batch) =>
        TokenBatches.EagerBatchLoss(model.TrainingStep, ids, next, T, batch);

    [Fact]
    public void PredictMatchesEagerForwardAtEveryPosition()
    {
        var model = new HandAttention(seed: 3);
        using HandAttention.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        (int[] ids, _) = RandomText(5, seed: 1);
        var output = new float[5 * T * HandAttention.Vocab];
        program.Predict(ids, output);
        for (int b = 0; b < 5; b++)
        {
            double[] expected = model.Forward(Example(ids, b)).Data.ToArray();
            Assert.Equal(T * HandAttention.Vocab, expected.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                float actual = output[b * expected.Length + j];
                Assert.True(Math.Abs(actual - expected[j]) <= 1e-4 * Math.Max(1, Math.Abs(expected[j])),
                    $"example {b}, position {j / HandAttention.Vocab}, logit {j % HandAttention.Vocab}: compiled {actual}, eager {expected[j]}");
            }
        }
    }

    /// <summary>The mask works: changing the last token leaves every earlier position's logits as they were.</summary>
    [Fact]
    public void ALaterTokenDoesNotChangeEarlierPositions()
    {
        var model = new HandAttention(seed: 4);
        using HandAttention.Program program = model.Compile(Device.Cpu, maxBatch: 2);
        (int[] ids, _) = RandomText(1, seed: 5);
        int[] changed = ids.ToArray();
        changed[T - 1] = (changed[T - 1] + 1) % HandAttention.Vocab;
        var before = new float[T * HandAttention.Vocab];
        var after = new float[T * HandAttention.Vocab];
        program.Predict(ids, before);
        program.Predict(changed, after);
        int earlier = (T - 1) * HandAttention.Vocab;
        Assert.Equal(before.AsSpan(0, earlier).ToArray(), after.AsSpan(0, earlier).ToArray());
        Assert.NotEqual(before.AsSpan(earlier).ToArray(), after.AsSpan(earlier).ToArray());
    }

    [Fact]
    public void ValueAndGradMatchesEagerLossAndCentralDifferences()
    {
        var model = new HandAttention(seed: 6);
        using HandAttention.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        const int batch = 3;
        (int[] ids, int[] next) = RandomText(batch, seed: 2);
        var gradient = new float[HandAttention.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradient);
        double eager = EagerBatchLoss(model, ids, next, batch);
        Assert.True(Math.Abs(loss - eager) <= 1e-5 * Math.Max(1, eager), $"compiled loss {loss}, eager {eager}");

        // Every element of the attention projection and a sample of the others, against central
        // differences of the eager (double) loss.
        var random = new Random(7);
        Span<float> parameters = model.Parameters.Buffer;
        int checkedElements = 0;
        foreach (ParameterInfo info in model.Parameters.Parameters)
        {
            var picks = info.Name.StartsWith("qkv", StringComparison.Ordinal)
                ? Enumerable.Range(info.Offset, info.Length).Where((_, i) => i % 3 == 0).ToList()
                : Enumerable.Range(0, 8).Select(_ => info.Offset + random.Next(info.Length)).ToList();
            foreach (int i in picks)
            {
                const float h = 1e-2f;
                float original = parameters[i];
                parameters[i] = original + h;
                double plus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original - h;
                double minus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original;
                double numeric = (plus - minus) / ((double)(original + h) - (original - h));
                Assert.True(Math.Abs(gradient[i] - numeric) <= 2e-4 + 2e-3 * Math.Abs(numeric),
                    $"{info.Name}[{i - info.Offset}]: compiled gradient {gradient[i]}, central difference {numeric}");
                checkedElements++;
            }
        }
        output.WriteLine($"HandAttention: compiled loss {loss}, eager {eager}; {checkedElements} gradient elements against central differences");
        Assert.True(checkedElements >= 100, $"only {checkedElements} elements checked");
    }

    /// <summary>A fixed batch trained for 30 SGD steps: the compiled loss falls well below its start, and the eager loss of the trained parameters agrees.</summary>
    [Fact]
    public void TrainingAFixedBatchLowersTheLoss()
    {
        var model = new HandAttention(seed: 8);
        using HandAttention.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 4;
        (int[] ids, _) = RandomText(batch, seed: 9);
        // The next token is the previous one: learnable only by looking back one position.
        int[] next = ids.Select((id, i) => i % T == 0 ? id : ids[i - 1]).ToArray();
        float first = program.TrainStep(ids, next);
        float last = first;
        for (int step = 1; step < 30; step++)
            last = program.TrainStep(ids, next);
        output.WriteLine($"HandAttention on a fixed batch: loss {first:F4} at step 1, {last:F4} at step 30");
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
        // The CPU program trains the model's own parameter buffer, so the eager model sees the trained values.
        double eager = EagerBatchLoss(model, ids, next, batch);
        var gradient = new float[HandAttention.ParameterCount];
        float compiled = program.ValueAndGrad(ids, next, gradient);
        Assert.True(Math.Abs(compiled - eager) <= 1e-4 * Math.Max(1, eager), $"compiled loss {compiled}, eager {eager}");
    }
}
