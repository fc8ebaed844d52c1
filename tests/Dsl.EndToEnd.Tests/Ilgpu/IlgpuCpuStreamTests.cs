using System;
using Dsl.EndToEnd.Tests.OpenCl;
using QuickStart;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// Issue 17's "one stream per program; no synchronization inside a step except reading the loss", on
/// ILGPU's CPU accelerator: each program on an <see cref="IlgpuDevice"/> runs its transfers and
/// kernels on a stream of its own, so two programs trained in turns on one device each train as if
/// alone, and a training step's only waits for the device are its reads of scalars.
/// </summary>
public sealed class IlgpuCpuStreamTests(IlgpuCpuStreamTests.DeviceFixture fixture, ITestOutputHelper output)
    : IClassFixture<IlgpuCpuStreamTests.DeviceFixture>
{
    private const int Batch = 8, Steps = 5;

    [Fact]
    public void TwoProgramsOnOneDeviceTrainInTurnsAsEachDoesAloneOnTheCpu()
    {
        IlgpuDevice device = fixture.Device;
        int liveBefore = device.LiveBuffers;
        Classifier cpuA = new(seed: 1), cpuB = new(seed: 2), deviceA = new(seed: 1), deviceB = new(seed: 2);
        using Classifier.Program referenceA = cpuA.Compile(Device.Cpu, Batch), referenceB = cpuB.Compile(Device.Cpu, Batch);
        Classifier.Program programA = deviceA.Compile(device, Batch);
        using Classifier.Program programB = deviceB.Compile(device, Batch);

        Difference losses = default;
        for (int step = 0; step < Steps; step++)
        {
            // Different data for each program: a mix-up of their buffers or kernels would show.
            (float[] xA, int[] yA) = RandomBatch(seed: 10 + step);
            (float[] xB, int[] yB) = RandomBatch(seed: 100 + step);
            losses = losses.Max(Difference.Of(referenceA.TrainStep(xA, yA), programA.TrainStep(xA, yA)));
            losses = losses.Max(Difference.Of(referenceB.TrainStep(xB, yB), programB.TrainStep(xB, yB)));
        }

        // The first program's disposal releases its stream only: the second goes on training.
        programA.Dispose();
        (float[] x, int[] y) = RandomBatch(seed: 1000);
        losses = losses.Max(Difference.Of(referenceB.TrainStep(x, y), programB.TrainStep(x, y)));

        Difference parametersA = Difference.Of(cpuA.Parameters.Values, deviceA.Parameters.Values);
        programB.Dispose();
        Difference parametersB = Difference.Of(cpuB.Parameters.Values, deviceB.Parameters.Values);
        output.WriteLine($"Two programs on {device.Name}: losses {losses}; parameters A {parametersA}, B {parametersB}");
        Assert.True(losses.MaxRelative <= 1e-4, $"Losses differ from the CPU's by {losses}.");
        Assert.True(parametersA.MaxRelative <= 1e-4, $"Program A's parameters differ from the CPU's by {parametersA}.");
        Assert.True(parametersB.MaxRelative <= 1e-4, $"Program B's parameters differ from the CPU's by {parametersB}.");
        Assert.Equal(liveBefore, device.LiveBuffers);
    }

    /// <remarks>
    /// One wait: the read of the loss and metrics (one transfer). The optimizer's gradient norm stays on
    /// the device, where the clip factor is computed from it; it comes down only when
    /// <see cref="OptimizerState.LastGradientNorm"/> is read (before issue 17's change a step waited
    /// twice and read 20 bytes: the norm's sum of squares besides the scalars).
    /// </remarks>
    [Fact]
    public void ATrainingStepWaitsForTheDeviceOnlyToReadTheLoss()
    {
        IlgpuDevice device = fixture.Device;
        using Classifier.Program program = new Classifier(seed: 3).Compile(device, Batch);
        (float[] x, int[] y) = RandomBatch(seed: 7);
        // The first step uploads the parameters; the second shows they stay.
        program.TrainStep(x, y);
        program.TrainStep(x, y);

        long waitsBefore = device.Synchronizations;
        TransferCounts transfersBefore = device.Transfers;
        program.TrainStep(x, y);
        long waits = device.Synchronizations - waitsBefore;
        TransferCounts step = device.Transfers - transfersBefore;

        output.WriteLine($"A QuickStart step on {device.Name}: {waits} synchronizations; {step}");
        Assert.Equal(1, waits);
        // Up, the batch; down, the scalars only (the loss and Classifier's three metrics).
        Assert.Equal(new TransferCounts(4L * (x.Length + y.Length), 4L * 4, 2, 1), step);

        // Asking for the step's gradient norm reads its one float, once.
        float norm = program.OptimizerState!.LastGradientNorm;
        Assert.Equal(new TransferCounts(0, 4, 0, 1), device.Transfers - transfersBefore - step);
        Assert.Equal(norm, program.OptimizerState.LastGradientNorm);
        Assert.Equal(waits + 1, device.Synchronizations - waitsBefore);
        Assert.True(norm > 0 && float.IsFinite(norm), $"The norm read back is {norm}.");
    }

    private static (float[] X, int[] Y) RandomBatch(int seed)
    {
        var random = new Random(seed);
        float[] x = new float[Batch * 10];
        int[] y = new int[Batch];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)((random.NextDouble() * 2) - 1);
        for (int i = 0; i < y.Length; i++)
            y[i] = random.Next(2);
        return (x, y);
    }

    /// <summary>One ILGPU CPU accelerator for the class: starting one compiles ILGPU's library kernels.</summary>
    public sealed class DeviceFixture : IDisposable
    {
        /// <summary>The device.</summary>
        public IlgpuDevice Device { get; } = Dsl.Device.IlgpuCpu();

        /// <inheritdoc/>
        public void Dispose() => Device.Dispose();
    }
}
