using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Kernels;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>[Dropout] in the compiled program: nn.Dropout's training and eval semantics, counter-based masks.</summary>
public sealed class DropoutTests
{
    private const int Batch = 5;
    private const float P = 0.25f;

    private static (float[] X, int[] Y) Data()
    {
        var random = new Random(11);
        return (Enumerable.Range(0, Batch * 6).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
                Enumerable.Range(0, Batch).Select(_ => random.Next(3)).ToArray());
    }

    /// <summary>
    /// Dropper's loss for example b written out by hand: Output(Drop(Tanh(Hidden(Drop(x))))), the
    /// first Drop call site 0 over [6] inputs, the second site 1 over [16], each element i of example
    /// b at stream position b·size + i; with <paramref name="train"/> false, no dropout (eval mode).
    /// </summary>
    private static (float Loss, float[] Logits) ByHand(Dropper model, float[] x, int y, int b, bool train, int seed, uint step)
    {
        float[] w1 = model.Parameters["hidden.weight"].ToArray(), b1 = model.Parameters["hidden.bias"].ToArray();
        float[] w2 = model.Parameters["output.weight"].ToArray(), b2 = model.Parameters["output.bias"].ToArray();
        uint threshold = DropoutKernels.Threshold(P);
        float scale = DropoutKernels.Scale(P);
        float Drop(float v, uint site, int size, int i) =>
            !train ? v : DropoutKernels.Keeps((uint)seed, site, step, (ulong)(b * size + i), threshold) ? v * scale : 0f;

        var input = Enumerable.Range(0, 6).Select(i => Drop(x[b * 6 + i], 0, 6, i)).ToArray();
        var hidden = new float[16];
        for (int o = 0; o < 16; o++)
        {
            double sum = b1[o];
            for (int i = 0; i < 6; i++) sum += w1[o * 6 + i] * input[i];
            hidden[o] = Drop(MathF.Tanh((float)sum), 1, 16, o);
        }
        var logits = new float[3];
        for (int o = 0; o < 3; o++)
        {
            double sum = b2[o];
            for (int i = 0; i < 16; i++) sum += w2[o * 16 + i] * hidden[i];
            logits[o] = (float)sum;
        }
        double max = logits.Max();
        double logSumExp = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return ((float)(logSumExp - logits[y]), logits);
    }

    [Fact]
    public void TheTrainingLossIsTheLossOfTheMaskedNetwork()
    {
        var (x, y) = Data();
        var model = new Dropper(seed: 3);
        using Dropper.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        program.DropoutSeed = 7;
        float loss = program.ValueAndGrad(x, y, new float[Dropper.ParameterCount]);

        float[] losses = program.ExampleLosses.ToArray();
        for (int b = 0; b < Batch; b++)
        {
            float masked = ByHand(model, x, y[b], b, train: true, seed: 7, step: 0).Loss;
            Assert.Equal(masked, losses[b], 4);
        }
        Assert.Equal(losses.Average(), loss, 5);
        // The masks matter: the loss without them is another number.
        float eval = Enumerable.Range(0, Batch).Average(b => ByHand(model, x, y[b], b, train: false, 7, 0).Loss);
        Assert.True(Math.Abs(eval - loss) > 1e-3, $"training loss {loss} should differ from the eval loss {eval}");
    }

    [Fact]
    public void PredictAndTheValidationStepAreTheIdentity()
    {
        var (x, y) = Data();
        var model = new Dropper(seed: 3);
        using Dropper.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        var first = new float[Batch * 3];
        program.Predict(x, first);
        program.DropoutSeed = 99;
        program.OptimizerState!.Step = 12;
        var second = new float[Batch * 3];
        program.Predict(x, second);
        Assert.Equal(first, second);
        for (int b = 0; b < Batch; b++)
        {
            float[] logits = ByHand(model, x, y[b], b, train: false, 0, 0).Logits;
            for (int o = 0; o < 3; o++)
                Assert.Equal(logits[o], first[b * 3 + o], 4);
        }
        // The eager reference is eval mode too (it rounds differently, so to a few ulps).
        float[] eager = model.Forward(Tensor.FromFloats(x.AsSpan(0, 6), 6)).ToFloats();
        for (int o = 0; o < 3; o++)
            Assert.Equal(first[o], eager[o], 5);

        program.EvalStep(x, y);
        float expected = Enumerable.Range(0, Batch).Average(b => ByHand(model, x, y[b], b, train: false, 0, 0).Loss);
        Assert.Equal(expected, (float)program.Metrics["val_loss"], 4);
    }

    [Fact]
    public void MasksArePureFunctionsOfSeedAndStep()
    {
        var (x, y) = Data();
        var model = new Dropper(seed: 3);
        using Dropper.Program one = model.Compile(Device.Cpu, maxBatch: 8);
        using Dropper.Program two = model.Compile(Device.Cpu, maxBatch: 8);
        float Loss(Dropper.Program program, int seed, long step, float[] gradient)
        {
            program.DropoutSeed = seed;
            program.OptimizerState!.Step = step;
            return program.ValueAndGrad(x, y, gradient);
        }
        float[] g1 = new float[Dropper.ParameterCount], g2 = new float[Dropper.ParameterCount], scratch = new float[Dropper.ParameterCount];

        float reference = Loss(one, 5, 3, g1);
        Assert.Equal(reference, Loss(two, 5, 3, g2)); // another program, same seed and step: bit for bit
        Assert.Equal(g1, g2);
        Assert.NotEqual(reference, Loss(one, 6, 3, scratch)); // another seed
        Assert.NotEqual(reference, Loss(one, 5, 4, scratch)); // another step
        Assert.Equal(reference, Loss(one, 5, 3, scratch));     // a step restored (as a checkpoint does) draws its masks again
        Assert.Equal(g1, scratch);
    }

    [Fact]
    public void TheGradientMatchesCentralDifferencesWithTheMaskHeldFixed()
    {
        var (x, y) = Data();
        var model = new Dropper(seed: 3);
        using Dropper.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        program.DropoutSeed = 7;
        var gradient = new float[Dropper.ParameterCount];
        program.ValueAndGrad(x, y, gradient);

        float[] parameters = model.Parameters.Buffer;
        var scratch = new float[Dropper.ParameterCount];
        const float h = 1e-2f;
        int checkedCount = 0;
        for (int k = 0; k < parameters.Length; k += 7)
        {
            float saved = parameters[k];
            parameters[k] = saved + h;
            double plus = program.ValueAndGrad(x, y, scratch); // step 0 throughout: the same masks
            parameters[k] = saved - h;
            double minus = program.ValueAndGrad(x, y, scratch);
            parameters[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[k]) <= 2e-3 + 2e-2 * Math.Abs(numeric), $"parameter {k}: analytic {gradient[k]}, central difference {numeric}");
            checkedCount++;
        }
        Assert.True(checkedCount > 10);
        // A dropped input carries no gradient: some first-layer weights see only zeros.
        Assert.Contains(gradient.Take(96), g => g == 0f);
    }

    [Fact]
    public void TheTrainerKeysTheMasksWithItsSeed()
    {
        float[] Fit(int seed)
        {
            var model = new Dropper(seed: 3);
            using var trainer = new Trainer(new TrainerOptions { Seed = seed, MaxEpochs = 2, EnableProgressBar = false });
            trainer.Fit(model, new DataLoader(Blobs.Make(40, 6, 3, seed: 1), 10));
            return model.Parameters.Buffer.ToArray();
        }
        float[] first = Fit(42);
        Assert.Equal(first, Fit(42));    // the same run twice: the same masks, the same parameters
        Assert.NotEqual(first, Fit(43)); // another seed: other masks
    }

    [Fact]
    public void AResumedRunDrawsTheMasksOfTheUninterruptedOne()
    {
        using var directory = new TempDirectory();
        var train = new DataLoader(Blobs.Make(64, 6, 3, seed: 1), batchSize: 16, shuffle: true, seed: 3);
        TrainerOptions Options(int epochs) => new() { Seed = 42, MaxEpochs = epochs, EnableProgressBar = false };
        int[] Bits(Dropper model) => model.Parameters.Buffer.Select(BitConverter.SingleToInt32Bits).ToArray();

        var uninterrupted = new Dropper(seed: 5);
        using (var trainer = new Trainer(Options(4)))
            trainer.Fit(uninterrupted, train);

        var first = new Dropper(seed: 5);
        var options = Options(2);
        options.Callbacks.Add(new ModelCheckpoint(directory["run"], saveLast: true));
        using (var trainer = new Trainer(options))
            trainer.Fit(first, train);
        Assert.NotEqual(Bits(uninterrupted), Bits(first));

        var resumed = new Dropper(seed: 99);
        using (var trainer = new Trainer(Options(4)))
        {
            trainer.Fit(resumed, train, resumeFrom: directory["run/last.safetensors"]);
            Assert.Equal(16, trainer.GlobalStep);
        }
        Assert.Equal(Bits(uninterrupted), Bits(resumed));
    }
}
