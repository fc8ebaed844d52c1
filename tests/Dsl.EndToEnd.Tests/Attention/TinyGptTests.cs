using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.OpenCl;
using Dsl.Testing;
using Dsl.EndToEnd.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// The whole 2-block <see cref="TinyGpt"/> (embeddings, pre-LN causal attention, GELU feed-forward,
/// [Module] blocks in a [Repeat(2)] stack, final LayerNorm, head without bias) compiled for the CPU
/// against its eager double-precision reference: every position's logits, the batch loss, and
/// gradients of every parameter against central differences of the eager loss.
/// </summary>
public class TinyGptTests(ITestOutputHelper output)
{
    private const int T = TinyGpt.Context;

    internal static (int[] Ids, int[] Next) RandomText(int batch, int seed) =>
        TokenBatches.Random(batch, T, TinyGpt.Vocab, seed);

    private static Tokens Example(int[] ids, int b) => TokenBatches.Example(ids, b, T);

    private static double EagerBatchLoss(TinyGpt model, int[] ids, int[] next, int batch) =>
        TokenBatches.EagerBatchLoss(model.TrainingStep, ids, next, T, batch);

    /// <summary>A model whose zero-initialised biases and ones-initialised norm weights are random too, so none of their gradients is special.</summary>
    internal static TinyGpt Model(int seed)
    {
        var model = new TinyGpt(seed);
        var random = new Random(seed);
        foreach (ParameterInfo info in model.Parameters.Parameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal) || p.Name.Contains("norm", StringComparison.Ordinal)))
            for (int i = 0; i < info.Length; i++)
                model.Parameters.Buffer[info.Offset + i] += (float)(random.NextDouble() - 0.5);
        return model;
    }

    [Fact]
    public void PredictMatchesEagerForwardAtEveryPosition()
    {
        TinyGpt model = Model(3);
        using TinyGpt.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        (int[] ids, _) = RandomText(3, seed: 1);
        var logits = new float[3 * T * TinyGpt.Vocab];
        program.Predict(ids, logits);
        for (int b = 0; b < 3; b++)
        {
            double[] expected = model.Forward(Example(ids, b)).Data.ToArray();
            for (int j = 0; j < expected.Length; j++)
                Assert.True(Math.Abs(logits[b * expected.Length + j] - expected[j]) <= 1e-4 * Math.Max(1, Math.Abs(expected[j])),
                    $"example {b}, position {j / TinyGpt.Vocab}, logit {j % TinyGpt.Vocab}: compiled {logits[b * expected.Length + j]}, eager {expected[j]}");
        }
    }

    [Fact]
    public void GradientsOfEveryParameterMatchCentralDifferencesOfTheEagerLoss()
    {
        TinyGpt model = Model(5);
        using TinyGpt.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 2;
        (int[] ids, int[] next) = RandomText(batch, seed: 2);
        var gradient = new float[TinyGpt.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradient);
        double eager = EagerBatchLoss(model, ids, next, batch);
        Assert.True(Math.Abs(loss - eager) <= 1e-5 * Math.Max(1, eager), $"compiled loss {loss}, eager {eager}");

        // In every parameter: its largest-gradient element and 4 random ones (the token table's
        // rows of ids that occur, since the others' gradient is exactly 0 and checked below).
        Span<float> parameters = model.Parameters.Buffer;
        var random = new Random(9);
        int checkedElements = 0;
        double worst = 0;
        foreach (ParameterInfo info in model.Parameters.Parameters)
        {
            int[] candidates = Enumerable.Range(info.Offset, info.Length).Where(i => gradient[i] != 0).ToArray();
            Assert.NotEmpty(candidates);
            int largest = candidates.MaxBy(i => Math.Abs(gradient[i]));
            foreach (int i in new[] { largest }.Concat(Enumerable.Range(0, 4).Select(_ => candidates[random.Next(candidates.Length)])))
            {
                const float h = 1e-2f;
                float original = parameters[i];
                parameters[i] = original + h;
                double plus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original - h;
                double minus = EagerBatchLoss(model, ids, next, batch);
                parameters[i] = original;
                double numeric = (plus - minus) / ((double)(original + h) - (original - h));
                double error = Math.Abs(gradient[i] - numeric);
                worst = Math.Max(worst, error / Math.Max(1e-3, Math.Abs(numeric)));
                Assert.True(error <= 2e-4 + 5e-3 * Math.Abs(numeric),
                    $"{info.Name}[{i - info.Offset}]: compiled gradient {gradient[i]}, central difference {numeric}");
                checkedElements++;
            }
        }

        // A token id that occurs nowhere in the batch gets an exactly zero embedding gradient.
        int unused = Enumerable.Range(0, TinyGpt.Vocab).First(v => !ids.Contains(v));
        Assert.All(gradient.AsSpan(unused * TinyGpt.Width, TinyGpt.Width).ToArray(), g => Assert.Equal(0f, g));
        output.WriteLine($"{checkedElements} elements of {model.Parameters.Parameters.Count} parameters; worst relative error {worst:E2}");
    }
}

/// <summary>TinyGpt's loss and gradients on OpenCL (PoCL in CI) against the CPU backend.</summary>
[Collection(OpenClCollection.Name)]
public sealed class TinyGptOpenClTests(OpenClDeviceFixture fixture, ITestOutputHelper output)
{
    [OpenClFact]
    public void LossGradientsAndLogitsMatchTheCpu()
    {
        TinyGpt model = TinyGptTests.Model(7);
        using TinyGpt.Program cpu = model.Compile(Device.Cpu, maxBatch: 8);
        using TinyGpt.Program openCl = model.Compile(fixture.Device, maxBatch: 8);
        (int[] ids, int[] next) = TinyGptTests.RandomText(8, seed: 3);
        float[] cpuGradient = new float[TinyGpt.ParameterCount], openClGradient = new float[TinyGpt.ParameterCount];
        Difference loss = Difference.Of(cpu.ValueAndGrad(ids, next, cpuGradient), openCl.ValueAndGrad(ids, next, openClGradient));
        Difference gradients = Difference.Of(cpuGradient, openClGradient);
        float[] cpuLogits = new float[8 * TinyGpt.Context * TinyGpt.Vocab], openClLogits = new float[cpuLogits.Length];
        cpu.Predict(ids, cpuLogits);
        openCl.Predict(ids, openClLogits);
        Difference logits = Difference.Of(cpuLogits, openClLogits);
        output.WriteLine($"TinyGpt CPU vs {fixture.Device.Name}: loss {loss}; gradients {gradients}; logits {logits}");
        Assert.True(loss.MaxRelative < 1e-5, $"loss: {loss}");
        Assert.True(gradients.MaxRelative < 1e-4, $"gradients: {gradients}");
        Assert.True(logits.MaxRelative < 1e-4, $"logits: {logits}");
    }
}
