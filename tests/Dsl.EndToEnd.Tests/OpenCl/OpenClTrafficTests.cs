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
/// inputs go up (one transfer each); the loss and the logged metrics, reduced on the device into
/// one scalars buffer (1 + the model's metric count floats), come down in one transfer; the gradient
/// norm and the clip factor stay on the device. Nothing parameter-sized or batch-sized moves either
/// way. Each test prints its figure.
/// </summary>
/// <remarks>
/// Before residency (every call uploaded the parameters; a step read them back and moved both Adam
/// moments up and down) a step moved, on PoCL, measured by these tests on the code before:
/// QuickStart 5,428 B (up 2,872 in 5 transfers, down 2,556 in 5), Digits 239,100 B (up 123,640,
/// down 115,460), TinyGpt 1,017,404 B (up 508,928, down 508,476). With the state resident (phase 1:
/// per-example losses and the norm's per-work-group partials read back, averaged on the host):
/// 388 B, 8,460 B, 572 B. Now (the loss and metrics reduced on the device, the norm to one float):
/// QuickStart 372 B (up 352, down 20), Digits 8,340 B (up 8,320, down 20), TinyGpt 520 B (up 512, down 8).
/// With the clip factor computed on the device (issue 17), the norm's float no longer comes down:
/// QuickStart 368 B (up 352, down 16), Digits 8,336 B (down 16), TinyGpt 516 B (down 4).
/// </remarks>
[Collection(OpenClCollection.Name)]
public sealed class OpenClTrafficTests(OpenClDeviceFixture fixture, ITestOutputHelper output)
{
    [OpenClFact]
    public void AQuickStartStepMovesItsInputsUpAndAFewScalarsDown()
    {
        const int batch = 8;
        var model = new Classifier(seed: 1);
        using Classifier.Program program = model.Compile(fixture.Device, batch);
        float[] x = new float[batch * 10];
        int[] y = new int[batch];
        TransferCounts step = PerStep(() => program.TrainStep(x, y));
        AssertStep(step, "QuickStart", up: 4 * (x.Length + y.Length), inputs: 2, metrics: 3, Classifier.ParameterCount);
    }

    [OpenClFact]
    public void ADigitsStepMovesItsInputsUpAndAFewScalarsDown()
    {
        const int batch = 32;
        var model = new DigitsClassifier(seed: 1);
        using DigitsClassifier.Program program = model.Compile(fixture.Device, batch);
        float[] pixels = new float[batch * 64];
        int[] digits = new int[batch];
        TransferCounts step = PerStep(() => program.TrainStep(pixels, digits));
        AssertStep(step, "Digits", up: 4 * (pixels.Length + digits.Length), inputs: 2, metrics: 3, DigitsClassifier.ParameterCount);
    }

    [OpenClFact]
    public void ATinyGptStepMovesItsInputsUpAndAFewScalarsDown()
    {
        const int batch = 4;
        var model = new TinyGpt(seed: 1);
        using TinyGpt.Program program = model.Compile(fixture.Device, batch);
        int[] ids = new int[batch * TinyGpt.Context], next = new int[batch * TinyGpt.Context];
        for (int i = 0; i < ids.Length; i++)
            (ids[i], next[i]) = (i % TinyGpt.Vocab, (i + 1) % TinyGpt.Vocab);
        TransferCounts step = PerStep(() => program.TrainStep(ids, next));
        AssertStep(step, "TinyGpt", up: 4 * (ids.Length + next.Length), inputs: 2, metrics: 0, TinyGpt.ParameterCount);
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

    /// <summary>
    /// Asserts the step's traffic: the inputs up in one transfer each; down, the scalars buffer (the
    /// loss and one float per metric name of the model) in one transfer, and nothing else.
    /// </summary>
    private void AssertStep(TransferCounts step, string model, long up, int inputs, int metrics, int parameterCount)
    {
        long down = 4L * (1 + metrics);
        output.WriteLine($"{model}: {step.BytesToDevice + step.BytesToHost} bytes per TrainStep ({step}); parameters {4L * parameterCount} B");
        Assert.Equal(new TransferCounts(up, down, inputs, 1), step);
    }
}
