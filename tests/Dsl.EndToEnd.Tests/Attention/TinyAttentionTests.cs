using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Sequences;
using Xunit;

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// <see cref="TinyAttention"/> compiled for the CPU against its eager double-precision reference:
/// the logits of every position, the batch loss, every gradient element against central
/// differences of the eager loss, the causal mask (a later token never changes an earlier
/// position's logits), and PyTorch's parameter names and initialisation.
/// </summary>
public class TinyAttentionTests
{
    private const int T = TinyAttention.Context;

    internal static (int[] Ids, int[] Next) RandomText(int batch, int seed) =>
        TokenBatches.Random(batch, T, TinyAttention.Vocab, seed);

    private static Tokens Example(int[] ids, int b) => TokenBatches.Example(ids, b, T);

    internal static double EagerBatchLoss(TinyAttention model, int[] ids, int[] next, int batch) =>
        TokenBatches.EagerBatchLoss(model.TrainingStep, ids, next, T, batch);

    /// <summary>A model whose zero-initialised biases are random too, so their gradients are not special.</summary>
    internal static TinyAttention Model(int seed)
    {
        var model = new TinyAttention(seed);
        var random = new Random(seed);
        foreach (ParameterInfo info in model.Parameters.Parameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)))
            for (int i = 0; i < info.Length; i++)
                model.Parameters.Buffer[info.Offset + i] = (float)(random.NextDouble() - 0.5);
        return model;
    }

    [Fact]
    public void PredictMatchesEagerForwardAtEveryPosition()
    {
        TinyAttention model = Model(3);
        using TinyAttention.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        (int[] ids, _) = RandomText(5, seed: 1);
        var output = new float[5 * T * TinyAttention.Vocab];
        program.Predict(ids, output);
        for (int b = 0; b < 5; b++)
        {
            double[] expected = model.Forward(Example(ids, b)).Data.ToArray();
            for (int j = 0; j < expected.Length; j++)
                Assert.True(Math.Abs(output[b * expected.Length + j] - expected[j]) <= 1e-4 * Math.Max(1, Math.Abs(expected[j])),
                    $"example {b}, position {j / TinyAttention.Vocab}, logit {j % TinyAttention.Vocab}: compiled {output[b * expected.Length + j]}, eager {expected[j]}");
        }
    }

    [Fact]
    public void ALaterTokenNeverChangesAnEarlierPosition()
    {
        TinyAttention model = Model(4);
        using TinyAttention.Program program = model.Compile(Device.Cpu, maxBatch: 2);
        (int[] ids, _) = RandomText(1, seed: 5);
        int[] changed = ids.ToArray();
        changed[5] = (changed[5] + 1) % TinyAttention.Vocab;
        float[] before = new float[T * TinyAttention.Vocab], after = new float[before.Length];
        program.Predict(ids, before);
        program.Predict(changed, after);
        Assert.Equal(before.Take(5 * TinyAttention.Vocab), after.Take(5 * TinyAttention.Vocab));
        Assert.NotEqual(before.Skip(5 * TinyAttention.Vocab), after.Skip(5 * TinyAttention.Vocab));
    }

    [Fact]
    public void EveryGradientElementMatchesCentralDifferencesOfTheEagerLoss()
    {
        TinyAttention model = Model(5);
        using TinyAttention.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 3;
        (int[] ids, int[] next) = RandomText(batch, seed: 2);
        var gradient = new float[TinyAttention.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradient);
        double eager = EagerBatchLoss(model, ids, next, batch);
        Assert.True(Math.Abs(loss - eager) <= 1e-5 * Math.Max(1, eager), $"compiled loss {loss}, eager {eager}");

        // Every element of every parameter, the differences in double (the eager model reads the float buffer).
        Span<float> parameters = model.Parameters.Buffer;
        double worst = 0;
        foreach (ParameterInfo info in model.Parameters.Parameters)
        {
            for (int i = info.Offset; i < info.Offset + info.Length; i++)
            {
                const float h = 1e-2f;
                float original = parameters[i];
                parameters[i] = original + h;
                double plus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original - h;
                double minus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original;
                double numeric = (plus - minus) / ((double)(original + h) - (original - h));
                worst = Math.Max(worst, Math.Abs(gradient[i] - numeric));
                Assert.True(Math.Abs(gradient[i] - numeric) <= 2e-4 + 2e-3 * Math.Abs(numeric),
                    $"{info.Name}[{i - info.Offset}]: compiled gradient {gradient[i]}, central difference {numeric}");
            }
        }
        Assert.True(worst > 0);
    }

    [Fact]
    public void ParametersAreNamedAndInitialisedAsPyTorchDoes()
    {
        var model = new TinyAttention(seed: 6);
        Assert.Equal(
            new[] { "token_embedding.weight", "position_embedding.weight", "norm.weight", "norm.bias",
                "attention.in_proj_weight", "attention.in_proj_bias", "attention.out_proj.weight", "attention.out_proj.bias", "head.weight", "head.bias" },
            model.Parameters.Parameters.Select(i => i.Name).ToArray());
        Assert.Equal(new[] { 48, 16 }, model.Parameters.Parameters[4].Shape);
        Assert.Equal(new[] { 16, 16 }, model.Parameters.Parameters[6].Shape);
        double[] inProj = model.Parameters.ToTensor("attention.in_proj_weight").Data.ToArray();
        double xavier = Math.Sqrt(6.0 / (48 + 16)), linear = 1 / Math.Sqrt(16);
        Assert.All(inProj, v => Assert.InRange(v, -xavier, xavier));
        Assert.True(inProj.Max(Math.Abs) > 0.9 * xavier);   // uniform over the whole Xavier range, not nn.Linear's narrower one
        Assert.All(model.Parameters.ToTensor("attention.out_proj.weight").Data.ToArray(), v => Assert.InRange(v, -linear, linear));
        Assert.All(model.Parameters.ToTensor("attention.in_proj_bias").Data.ToArray(), v => Assert.Equal(0.0, v));
        Assert.All(model.Parameters.ToTensor("attention.out_proj.bias").Data.ToArray(), v => Assert.Equal(0.0, v));
        Assert.StartsWith("TinyAttention (ids [8]): 1,776 parameters", TinyAttention.Summary);
        Assert.Contains("Attention          MultiHeadAttention  [16]   [16]          1088", TinyAttention.Summary);
    }
}
