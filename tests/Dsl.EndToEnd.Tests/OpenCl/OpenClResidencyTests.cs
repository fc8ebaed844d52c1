using System;
using System.Linq;
using Dsl.Testing;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The training state resident on the device, and the bad input around it: a host change
/// between steps is always seen, the host sees what the device trained, programs sharing a model
/// see each other's steps, disposal mid-training frees every buffer and keeps what was trained, and
/// running out of device memory at compile time names the buffer and leaks nothing.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClResidencyTests(OpenClDeviceFixture fixture)
{
    private const int MaxBatch = 8;
    private static readonly float[] X = Enumerable.Range(0, 40).Select(i => (i % 7) / 7f - 0.4f).ToArray();
    private static readonly int[] Y = [0, 1, 1, 0];

    [OpenClFact]
    public void AHostWriteBetweenStepsIsSeenByTheNextStep()
    {
        var model = new Classifier(seed: 3);
        using Classifier.Program program = model.Compile(fixture.Device, MaxBatch);
        program.TrainStep(X, Y);
        program.TrainStep(X, Y);

        // All zeros: every logit is 0, so each example's loss is ln 2 and the output is zero.
        Array.Clear(model.Parameters.Buffer);
        var output = new float[8];
        program.Predict(X, output);
        Assert.All(output, value => Assert.Equal(0f, value));
        Assert.Equal(MathF.Log(2f), program.TrainStep(X, Y), 1e-6f);

        // A write through a parameter's view is seen too.
        model.Parameters["output.bias"].Fill(5f);
        model.Parameters["output.weight"].Clear();
        program.Predict(X, output);
        Assert.All(output, value => Assert.Equal(5f, value));
    }

    [OpenClFact]
    public void TheHostReadsWhatTheDeviceTrainedOnceAndOnlyWhenItIsNewer()
    {
        Classifier onDevice = new(seed: 3), onCpu = new(seed: 3);
        using Classifier.Program openCl = onDevice.Compile(fixture.Device, MaxBatch);
        using Classifier.Program cpu = onCpu.Compile(Device.Cpu, MaxBatch);
        for (int step = 0; step < 3; step++)
            Assert.Equal(cpu.TrainStep(X, Y), openCl.TrainStep(X, Y), 1e-5f);

        Assert.True(onDevice.Parameters.Residency.DeviceIsNewer);
        TransferCounts before = fixture.Device.Transfers;
        Difference difference = Difference.Of(onCpu.Parameters.Values.ToArray(), onDevice.Parameters.Values.ToArray());
        _ = onDevice.Parameters.Values.ToArray();
        TransferCounts read = fixture.Device.Transfers - before;
        Assert.True(difference.MaxRelative < 1e-4, difference.ToString());
        Assert.Equal(new TransferCounts(0, 4L * Classifier.ParameterCount, 0, 1), read);
    }

    [OpenClFact]
    public void ProgramsSharingAModelSeeEachOthersSteps()
    {
        var model = new Classifier(seed: 4);
        using Classifier.Program first = model.Compile(fixture.Device, MaxBatch);
        using Classifier.Program second = model.Compile(fixture.Device, MaxBatch);
        using Classifier.Program cpu = model.Compile(Device.Cpu, MaxBatch);
        first.TrainStep(X, Y);
        float[] fromSecond = new float[8], fromCpu = new float[8], fromFirst = new float[8];
        second.Predict(X, fromSecond);
        cpu.Predict(X, fromCpu);
        first.Predict(X, fromFirst);
        Assert.Equal(fromFirst, fromSecond);
        Assert.True(Difference.Of(fromCpu, fromFirst).MaxRelative < 1e-4);

        // A CPU step is seen by the device programs' next calls.
        cpu.TrainStep(X, Y);
        cpu.Predict(X, fromCpu);
        second.Predict(X, fromSecond);
        Assert.True(Difference.Of(fromCpu, fromSecond).MaxRelative < 1e-4);
        Assert.NotEqual(fromFirst, fromSecond);
    }

    [OpenClFact]
    public void DisposingMidTrainingFreesEveryBufferAndKeepsWhatWasTrained()
    {
        // The device's kernel library keeps one scratch buffer for its reductions (the device's, freed
        // with it, not the program's): made before counting, so the count is the program's buffers alone.
        using (DeviceBuffer probe = fixture.Device.AllocateFloats(1, "probe"))
            fixture.Device.Kernels.Mean(1, probe, probe);
        int live = fixture.Device.LiveBuffers;
        var model = new Classifier(seed: 5);
        float[] initial = model.Parameters.Values.ToArray();
        Classifier.Program program = model.Compile(fixture.Device, MaxBatch);
        Assert.True(fixture.Device.LiveBuffers > live);
        program.TrainStep(X, Y);
        program.TrainStep(X, Y);
        program.Dispose();
        Assert.Equal(live, fixture.Device.LiveBuffers);

        // The last step's parameters and moments came back to the host before their buffers went.
        Assert.False(model.Parameters.Residency.DeviceIsNewer);
        Assert.NotEqual(initial, model.Parameters.Values.ToArray());
        Assert.Equal(2, program.OptimizerState!.Step);
        Assert.Contains(program.OptimizerState.Buffers[0].Values.ToArray(), value => value != 0f);
    }

    [OpenClFact]
    public void RunningOutOfDeviceMemoryAtCompileNamesTheBufferAndLeaksNothing()
    {
        // 3,000 bytes: the parameters, gradients and inputs fit; the first [64, 16] scratch buffer does not.
        using OpenClDevice device = Device.OpenCL(null, null, new OpenClDeviceOptions { MaxAllocationSize = 3000 });
        var model = new Classifier(seed: 6);
        OpenClException error = Assert.Throws<OpenClException>(() => model.Compile(device, 64));
        Assert.Contains("'_slot0 of Classifier.DeviceProgram'", error.Message);
        Assert.Contains("4096 bytes", error.Message);
        Assert.Contains("at most 3000 bytes", error.Message);
        Assert.Equal(0, device.LiveBuffers);
        Assert.False(model.Parameters.Residency.DeviceIsNewer);
    }
}
