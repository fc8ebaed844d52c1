using System;
using Digits;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Testing;
using QuickStart;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// Host-device traffic per training step with the training state resident on the device: the
/// inputs go up, the per-example losses and the gradient norm's per-work-group partial sums come
/// down, and nothing parameter-sized moves either way. Each test prints its figure.
/// </summary>
/// <remarks>
/// Before residency (every call uploaded the parameters; a step read them back and moved both Adam
/// moments up and down) a step moved, on PoCL, measured by these tests on the code before:
/// QuickStart 5,428 B (up 2,872 in 5 transfers, down 2,556 in 5), Digits 239,100 B (up 123,640,
/// down 115,460), TinyGpt 1,017,404 B (up 508,928, down 508,476). After: 388 B, 8,460 B, 572 B.
/// </remarks>
[Collection(OpenClCollection.Name)]
public sealed class OpenClTrafficTests(OpenClDeviceFixture fixture, ITestOutputHelper output)
{
    [OpenClFact]
    public void AQuickStartStepMovesItsInputsUpAndItsLossesAndNormPartialsDown()
    {
        const int batch = 8;
        var model = new Classifier(seed: 1);
        using Classifier.Program program = model.Compile(fixture.Device, batch);
        float[] x = new float[batch * 10];
        int[] y = new int[batch];
        TransferCounts step = PerStep(() => program.TrainStep(x, y));
        AssertStep(step, "QuickStart", up: 4 * (x.Length + y.Length), inputs: 2, batch, new Adam(1e-3f), Classifier.ParameterCount);
    }

    [OpenClFact]
    public void ADigitsStepMovesItsInputsUpAndItsLossesAndNormPartialsDown()
    {
        const int batch = 32;
        var model = new DigitsClassifier(seed: 1);
        using DigitsClassifier.Program program = model.Compile(fixture.Device, batch);
        float[] pixels = new float[batch * 64];
        int[] digits = new int[batch];
        TransferCounts step = PerStep(() => program.TrainStep(pixels, digits));
        AssertStep(step, "Digits", up: 4 * (pixels.Length + digits.Length), inputs: 2, batch, new Adam(1e-3f), DigitsClassifier.ParameterCount);
    }

    [OpenClFact]
    public void ATinyGptStepMovesItsInputsUpAndItsLossesAndNormPartialsDown()
    {
        const int batch = 4;
        var model = new TinyGpt(seed: 1);
        using TinyGpt.Program program = model.Compile(fixture.Device, batch);
        int[] ids = new int[batch * TinyGpt.Context], next = new int[batch * TinyGpt.Context];
        for (int i = 0; i < ids.Length; i++)
            (ids[i], next[i]) = (i % TinyGpt.Vocab, (i + 1) % TinyGpt.Vocab);
        TransferCounts step = PerStep(() => program.TrainStep(ids, next));
        AssertStep(step, "TinyGpt", up: 4 * (ids.Length + next.Length), inputs: 2, batch, new AdamW(3e-4f, weightDecay: 0.1f), TinyGpt.ParameterCount);
    }

    /// <summary>The traffic of the third step: the first uploads the state, the second proves it stays.</summary>
    private TransferCounts PerStep(Action trainStep)
    {
        trainStep();
        trainStep();
        TransferCounts before = fixture.Device.Transfers;
        trainStep();
        return fixture.Device.Transfers - before;
    }

    /// <summary>Asserts the step's traffic: the inputs up in one transfer each, the losses and the norm's partials down.</summary>
    private void AssertStep(TransferCounts step, string model, long up, int inputs, int losses, Optimizer optimizer, int parameterCount)
    {
        using var probe = new OpenClOptimizer(optimizer.CreateState(parameterCount), fixture.Device);
        long down = 4L * (losses + probe.NormPartialCount);
        output.WriteLine($"{model}: {step.BytesToDevice + step.BytesToHost} bytes per TrainStep ({step}); parameters {4L * parameterCount} B");
        Assert.Equal(new TransferCounts(up, down, inputs, 2), step);
    }
}
