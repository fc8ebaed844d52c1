using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.OpenCl;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

// The runtime's Batch, not the end-to-end tests' own record of that name.
using Batch = Dsl.Batch;

/// <summary>
/// The CPU TrainStep updates each parameter as soon as its gradient is final (no buffer for the
/// whole gradient) when the optimizer does not clip. Against the whole-gradient path (ValueAndGrad,
/// then one OptimizerState.Update) on a twin model, every model's parameters, optimizer state,
/// losses and metrics must agree bit for bit; with clipping, TrainStep keeps the whole-gradient path.
/// </summary>
public sealed class UpdateInPartsTests
{
    private const int Steps = 6, BatchSize = 16, MaxBatch = 32, Seed = 5;

    [Theory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void TrainStepGivesTheWholeGradientPathsParametersBitForBit(string name) => CompareWithWholeGradientPath(name, clip: null);

    [Theory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void WithClippingTrainStepKeepsTheWholeGradientPath(string name) => CompareWithWholeGradientPath(name, clip: 0.05f);

    [Fact]
    public void AClippingTrainStepAllocatesNothingOnceWarm()
    {
        var model = new Classifier(seed: 3);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 64);
        program.OptimizerState!.Optimizer.ClipGradNorm = 0.1f;
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 64 * 10).Select(_ => (float)random.NextDouble()).ToArray();
        int[] y = Enumerable.Range(0, 64).Select(i => i % 2).ToArray();
        for (int i = 0; i < 5; i++) // warm up: JIT, the whole-gradient buffer, packing buffers
            program.TrainStep(x, y);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
            program.TrainStep(x, y);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ExampleLossesAreTheLastStepsOnEitherPath()
    {
        var random = new Random(4);
        float[] x = Enumerable.Range(0, 8 * 10).Select(_ => (float)random.NextDouble()).ToArray();
        int[] y = Enumerable.Range(0, 8).Select(i => i % 2).ToArray();
        var model = new Classifier(seed: 2);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        using Classifier.Program reference = new Classifier(seed: 2).Compile(Device.Cpu, maxBatch: 8);

        program.TrainStep(x, y);
        reference.ValueAndGrad(x, y, new float[model.Parameters.Count]);
        Assert.Equal(reference.ExampleLosses.ToArray(), program.ExampleLosses.ToArray());

        // After either path, the losses are those of that call's examples, whose mean it returned.
        float wholeLoss = program.ValueAndGrad(x.AsSpan(0, 40), y.AsSpan(0, 4), new float[model.Parameters.Count]);
        Assert.Equal(4, program.ExampleLosses.Length);
        Assert.Equal(wholeLoss, program.ExampleLosses.ToArray().Average(), 1e-6);
        float partsLoss = program.TrainStep(x.AsSpan(0, 30), y.AsSpan(0, 3));
        Assert.Equal(3, program.ExampleLosses.Length);
        Assert.Equal(partsLoss, program.ExampleLosses.ToArray().Average(), 1e-6);
    }

    [Fact]
    public void ANonFiniteLossLeavesTheParametersAsTheyWere()
    {
        var model = new Regressor(seed: 1);
        using Regressor.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        Assert.True(program.OptimizerState!.CanUpdateInParts);
        float[] before = model.Parameters.Buffer.ToArray();
        StepSignature signature = program.TrainingSignature!;
        Batch batch = ParityModels.RandomBatch(signature, 4, seed: 1);
        // A target of 3e38 overflows the squared error: the loss is infinite, the inputs are valid.
        for (int c = 0; c < signature.Inputs.Count; c++)
        {
            if (signature.Inputs[c].Name != signature.Inputs[0].Name)
                batch.FloatBuffer(c).Fill(3e38f);
        }

        Assert.Throws<NonFiniteLossException>(() => program.TrainStep(batch));
        Assert.Equal(before, model.Parameters.Buffer);
        Assert.Equal(0, program.OptimizerState.Step);
    }

    private static void CompareWithWholeGradientPath(string name, float? clip)
    {
        ITrainableModel model = ParityModels.Create(name, Seed), twin = ParityModels.Create(name, Seed);
        using CompiledProgram program = model.Compile(Device.Cpu, MaxBatch, LossReduction.Mean);
        using CompiledProgram reference = twin.Compile(Device.Cpu, MaxBatch, LossReduction.Mean);
        OptimizerState state = program.OptimizerState!, referenceState = reference.OptimizerState!;
        state.Optimizer.ClipGradNorm = clip;
        referenceState.Optimizer.ClipGradNorm = clip;
        Assert.Equal(clip is null, state.CanUpdateInParts);
        StepSignature signature = program.TrainingSignature!;
        float[] gradients = new float[model.Parameters.TrainableCount]; // buffers (BatchNorm) have no gradient

        for (int step = 0; step < Steps; step++)
        {
            // The last batch short, as an epoch's last batch is.
            Batch batch = ParityModels.RandomBatch(signature, step == Steps - 1 ? 5 : BatchSize, seed: 40 + step);
            float loss = program.TrainStep(batch);
            float referenceLoss = reference.ValueAndGrad(batch, gradients);
            referenceState.Update(twin.Parameters.Buffer.AsSpan(0, twin.Parameters.TrainableCount), gradients);

            Assert.Equal(referenceLoss, loss);
            foreach (string metric in program.Metrics.Names)
                Assert.Equal(reference.Metrics[metric], program.Metrics[metric]);
            Assert.Equal(referenceState.Step, state.Step);
            if (!twin.Parameters.Buffer.AsSpan().SequenceEqual(model.Parameters.Buffer))
                Assert.Fail($"{name}, step {step}: parameter {FirstDifference(twin.Parameters.Buffer, model.Parameters.Buffer)} differs from the whole-gradient path.");
            for (int b = 0; b < state.Buffers.Count; b++)
                Assert.True(referenceState.Buffers[b].Values.Span.SequenceEqual(state.Buffers[b].Values.Span), $"{name}, step {step}: {state.Buffers[b].Name} differs");
        }
    }

    private static int FirstDifference(float[] expected, float[] actual) =>
        Enumerable.Range(0, expected.Length).First(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]));
}
