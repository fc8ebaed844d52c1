using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Testing;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The OpenCL program's behaviour beyond the numbers: bad input throws what the CPU program
/// throws (the same host checks), nothing is trained by a refused call, disposal releases every
/// buffer and makes every call throw, and a training step allocates nothing.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClProgramTests(OpenClDeviceFixture fixture) : IDisposable
{
    private const int MaxBatch = 8;
    private readonly Classifier _cpuModel = new(seed: 5), _openClModel = new(seed: 5);
    private Classifier.Program? _cpu, _openCl;

    private Classifier.Program Cpu => _cpu ??= _cpuModel.Compile(Device.Cpu, MaxBatch);

    private Classifier.Program OpenCl => _openCl ??= _openClModel.Compile(fixture.Device, MaxBatch);

    public void Dispose()
    {
        _cpu?.Dispose();
        _openCl?.Dispose();
    }

    [OpenClFact]
    public void ABatchAboveMaxBatchIsRefusedAsOnTheCpu() =>
        AssertSameError<ArgumentException>(p => p.Predict(new float[90], new float[18]));

    [OpenClFact]
    public void AnInputOfTheWrongLengthIsRefusedAsOnTheCpu() =>
        AssertSameError<ArgumentException>(p => p.TrainStep(new float[25], new int[2]));

    [OpenClFact]
    public void AnOutputSpanOfTheWrongLengthIsRefusedAsOnTheCpu() =>
        AssertSameError<ArgumentException>(p => p.Predict(new float[20], new float[3]));

    [OpenClFact]
    public void AGradientSpanOfTheWrongLengthIsRefusedAsOnTheCpu() =>
        AssertSameError<ArgumentException>(p => p.ValueAndGrad(new float[10], new int[1], new float[5]));

    [OpenClFact]
    public void NaNInAnInputIsReportedAsOnTheCpuAndNothingIsTrained()
    {
        var x = new float[40];
        x[17] = float.NaN;
        InvalidInputException error = AssertSameError<InvalidInputException>(p => p.TrainStep(x, new int[4]));
        Assert.Contains("example 1", error.Message);
    }

    [OpenClFact]
    public void ALabelOutsideTheClassesIsReportedAsOnTheCpuAndNothingIsTrained()
    {
        AssertSameError<InvalidInputException>(p => p.TrainStep(new float[20], new[] { 1, 2 }));
        AssertSameError<InvalidInputException>(p => p.EvalStep(new float[20], new[] { -1, 0 }));
    }

    [OpenClFact]
    public void ALossThatOverflowsThrowsAsOnTheCpuAndNothingIsTrained()
    {
        // A finite target so large that the squared error overflows to infinity.
        Regressor cpuModel = new(seed: 4), openClModel = new(seed: 4);
        using Regressor.Program cpu = cpuModel.Compile(Device.Cpu, MaxBatch);
        using Regressor.Program openCl = openClModel.Compile(fixture.Device, MaxBatch);
        float[] x = new float[10], target = Enumerable.Repeat(3e38f, 6).ToArray();
        float[] before = openClModel.Parameters.Buffer.ToArray();
        var expected = Assert.Throws<NonFiniteLossException>(() => cpu.TrainStep(x, target));
        var actual = Assert.Throws<NonFiniteLossException>(() => openCl.TrainStep(x, target));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(before, openClModel.Parameters.Buffer);
        Assert.Equal(0, openCl.OptimizerState!.Step);
    }

    [OpenClFact]
    public void PerExampleLossesMatchTheCpu()
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 60).Select(_ => (float)random.NextDouble()).ToArray();
        int[] y = Enumerable.Range(0, 6).Select(i => i % 2).ToArray();
        Assert.Equal(Cpu.TrainStep(x, y), OpenCl.TrainStep(x, y), 1e-6f);
        float[] cpu = Cpu.ExampleLosses.ToArray(), openCl = OpenCl.ExampleLosses.ToArray();
        Assert.Equal(6, openCl.Length);
        Assert.True(Difference.Of(cpu, openCl).MaxRelative < 1e-5, Difference.Of(cpu, openCl).ToString());
    }

    [OpenClFact]
    public void ASumReducedLossAndItsGradientsMatchTheCpu()
    {
        using Regressor.Program cpu = new Regressor(seed: 4).Compile(Device.Cpu, MaxBatch, LossReduction.Sum);
        using Regressor.Program openCl = new Regressor(seed: 4).Compile(fixture.Device, MaxBatch, LossReduction.Sum);
        var random = new Random(4);
        float[] x = Enumerable.Range(0, 40).Select(_ => (float)random.NextDouble()).ToArray();
        float[] target = Enumerable.Range(0, 24).Select(_ => (float)random.NextDouble()).ToArray();
        float[] cpuGradients = new float[Regressor.ParameterCount], openClGradients = new float[Regressor.ParameterCount];
        Difference value = Difference.Of(cpu.ValueAndGrad(x, target, cpuGradients), openCl.ValueAndGrad(x, target, openClGradients));
        Difference gradients = Difference.Of(cpuGradients, openClGradients);
        Assert.True(value.MaxRelative < 1e-5 && gradients.MaxRelative < 1e-4, $"value {value}, gradients {gradients}");
    }

    [OpenClFact]
    public void ATrainingStepAllocatesNothing()
    {
        float[] x = new float[80];
        int[] y = new int[8];
        OpenCl.TrainStep(x, y);
        OpenCl.EvalStep(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            OpenCl.TrainStep(x, y);
            OpenCl.EvalStep(x, y);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [OpenClFact]
    public void DisposingReturnsEveryBufferAndEveryLaterCallThrows()
    {
        Classifier.Program program = new Classifier(seed: 1).Compile(fixture.Device, MaxBatch);
        program.Dispose();
        program.Dispose();
        Assert.True(program.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => program.Predict(new float[10], new float[2]));
        Assert.Throws<ObjectDisposedException>(() => program.TrainStep(new float[10], new int[1]));
        Assert.Throws<ObjectDisposedException>(() => program.ValueAndGrad(new float[10], new int[1], new float[Classifier.ParameterCount]));
        Assert.Throws<ObjectDisposedException>(() => program.EvalStep(new float[10], new int[1]));

        // The same buffers again: served from the pool, so the first program gave all of them back.
        int created = fixture.Device.BuffersCreated;
        using Classifier.Program again = new Classifier(seed: 1).Compile(fixture.Device, MaxBatch);
        Assert.Equal(created, fixture.Device.BuffersCreated);
    }

    /// <summary>Runs the call on both programs: the same exception type and message, and the parameters untouched on both.</summary>
    private TException AssertSameError<TException>(Action<Classifier.Program> call)
        where TException : Exception
    {
        float[] cpuBefore = _cpuModel.Parameters.Buffer.ToArray(), openClBefore = _openClModel.Parameters.Buffer.ToArray();
        TException expected = Assert.ThrowsAny<TException>(() => call(Cpu));
        TException actual = Assert.ThrowsAny<TException>(() => call(OpenCl));
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(cpuBefore, _cpuModel.Parameters.Buffer);
        Assert.Equal(openClBefore, _openClModel.Parameters.Buffer);
        return actual;
    }
}
