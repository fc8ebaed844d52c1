using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary>
/// The byte-level <see cref="BagLm"/> compiled for the CPU against its eager double-precision
/// reference (the user's own methods on Tensor and Tokens): the logits of every position, the
/// batch loss, and the gradient against central differences of the eager loss.
/// </summary>
public class BagLmTests(ITestOutputHelper output)
{
    private const int T = BagLm.Context;

    /// <summary>Random byte sequences: ids[b, t] and next[b, t] = ids[b, t + 1] (the last one drawn too).</summary>
    private static (int[] Ids, int[] Next) RandomText(int batch, int seed)
    {
        var random = new Random(seed);
        int[] stream = Enumerable.Range(0, batch * (T + 1)).Select(_ => random.Next(BagLm.Vocab)).ToArray();
        var ids = new int[batch * T];
        var next = new int[batch * T];
        for (int b = 0; b < batch; b++)
        {
            Array.Copy(stream, b * (T + 1), ids, b * T, T);
            Array.Copy(stream, b * (T + 1) + 1, next, b * T, T);
        }
        return (ids, next);
    }

    private static Tokens Example(int[] ids, int b) => TokenBatches.Example(ids, b, T);

    private static double EagerBatchLoss(BagLm model, int[] ids, int[] next, int batch) =>
        TokenBatches.EagerBatchLoss(model.TrainingStep, ids, next, T, batch);

    [Fact]
    public void PredictMatchesEagerForwardAtEveryPosition()
    {
        var model = new BagLm(seed: 3);
        using BagLm.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        (int[] ids, _) = RandomText(5, seed: 1);
        var output = new float[5 * T * BagLm.Vocab];
        program.Predict(ids, output);
        for (int b = 0; b < 5; b++)
        {
            double[] expected = model.Forward(Example(ids, b)).Data.ToArray();
            Assert.Equal(T * BagLm.Vocab, expected.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                float actual = output[b * expected.Length + j];
                Assert.True(Math.Abs(actual - expected[j]) <= 1e-4 * Math.Max(1, Math.Abs(expected[j])),
                    $"example {b}, position {j / BagLm.Vocab}, logit {j % BagLm.Vocab}: compiled {actual}, eager {expected[j]}");
            }
        }
    }

    [Fact]
    public void ValueAndGradMatchesEagerLossAndCentralDifferences()
    {
        var model = new BagLm(seed: 4);
        using BagLm.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        const int batch = 3;
        (int[] ids, int[] next) = RandomText(batch, seed: 2);
        var gradient = new float[BagLm.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradient);
        double eager = EagerBatchLoss(model, ids, next, batch);
        Assert.True(Math.Abs(loss - eager) <= 1e-5 * Math.Max(1, eager), $"compiled loss {loss}, eager {eager}");

        // Sampled elements of every parameter tensor (the full set would take minutes in double):
        // for the token table, elements of rows the batch uses and of one it never does.
        var random = new Random(7);
        Span<float> parameters = model.Parameters.Buffer;
        int checkedElements = 0;
        foreach (ParameterInfo info in model.Parameters.Parameters)
        {
            var picks = Enumerable.Range(0, 6).Select(_ => info.Offset + random.Next(info.Length)).ToList();
            if (info.Name == "token_embedding.weight")
            {
                picks = Enumerable.Range(0, 6).Select(k => info.Offset + ids[k * 5] * BagLm.Width + random.Next(BagLm.Width)).ToList();
                int unused = Enumerable.Range(0, BagLm.Vocab).First(v => !ids.Contains(v));
                picks.Add(info.Offset + unused * BagLm.Width);
                Assert.Equal(0f, gradient[info.Offset + unused * BagLm.Width]);
            }
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
        Assert.True(checkedElements >= 6 * 8);
    }

    [Fact]
    public void ParametersAreNamedAndInitialisedAsPyTorchDoes()
    {
        var model = new BagLm(seed: 5);
        Assert.Equal(
            new[] { "token_embedding.weight", "position_embedding.weight", "norm.weight", "norm.bias", "up.weight", "up.bias", "head.weight", "head.bias" },
            model.Parameters.Parameters.Select(i => i.Name).ToArray());
        float[] table = model.Parameters.Buffer.AsSpan(model.Parameters.Parameters[0].Offset, model.Parameters.Parameters[0].Length).ToArray();
        double mean = table.Average(v => (double)v), variance = table.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.05, 0.05);           // N(0, 1) over 16,384 draws
        Assert.InRange(variance, 0.9, 1.1);
        Assert.All(model.Parameters.ToTensor("norm.weight").Data.ToArray(), v => Assert.Equal(1.0, v));
        Assert.All(model.Parameters.ToTensor("norm.bias").Data.ToArray(), v => Assert.Equal(0.0, v));
        Assert.StartsWith("BagLm (ids [32]): 59,904 parameters", BagLm.Summary);
        Assert.Contains("TokenEmbedding     Embedding  ids    [64]         16384", BagLm.Summary);
        Assert.Contains("Norm               LayerNorm  [64]   [64]           128", BagLm.Summary);
    }

    [Fact]
    public void ATokenIdOutsideTheVocabularyIsAnErrorNamingItsValueAndPosition()
    {
        var model = new BagLm(seed: 6);
        using BagLm.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        (int[] ids, int[] next) = RandomText(2, seed: 3);
        next[T + 5] = 300;
        var error = Assert.Throws<InvalidInputException>(() => program.TrainStep(ids, next));
        Assert.Contains("token id 300 at example 1, position 5", error.Message);
        Assert.Contains("[0, 256)", error.Message);

        ids[3] = -1;
        var output = new float[2 * T * BagLm.Vocab];
        error = Assert.Throws<InvalidInputException>(() => program.Predict(ids, output));
        Assert.Contains("token id -1 at example 0, position 3", error.Message);

        var eager = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new Tokens(Enumerable.Repeat(256, T).ToArray())));
        Assert.Contains("id 256 at position 0", eager.Message);
    }

    /// <summary>A tiny repetitive text ("abcabc..." shifted per example): the loss must fall far below uniform (ln 256 ≈ 5.55).</summary>
    [Fact]
    public void TrainingOnARepetitiveTextLowersTheLoss()
    {
        var model = new BagLm(seed: 7);
        using BagLm.Program program = model.Compile(Device.Cpu, maxBatch: 16);
        byte[] text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 40)));
        const int batch = 16;
        var ids = new int[batch * T];
        var next = new int[batch * T];
        var random = new Random(8);
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            for (int b = 0; b < batch; b++)
            {
                int start = random.Next(text.Length - T - 1);
                for (int t = 0; t < T; t++)
                {
                    ids[b * T + t] = text[start + t];
                    next[b * T + t] = text[start + t + 1];
                }
            }
            last = program.TrainStep(ids, next);
            if (step == 0) first = last;
        }
        output.WriteLine($"BagLm on a repetitive text: loss {first:F4} at step 1, {last:F4} after 300 steps of batch {batch}");
        Assert.True(first > 5.0f, $"the first loss {first} should be near ln 256");
        Assert.True(last < 2.0f, $"the loss fell only from {first} to {last}");
    }
}
