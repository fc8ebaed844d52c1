using System;
using System.IO;
using System.Linq;
using Digits;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Training;
using Dsl.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The Trainer on an OpenCL device (TrainerOptions.Device): the Digits job gives the CPU's
/// results, and a run resumed from a checkpoint continues exactly, also through gradient
/// accumulation, where the Trainer updates the host parameters itself between device steps.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClTrainerTests(OpenClDeviceFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [OpenClFact]
    public void TheDigitsJobOnOpenClGivesTheCpuResults()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        var cpu = DigitsTraining.Run(new DigitsTraining.Settings(data, _directory["cpu"], MaxEpochs: 5, Device: Device.Cpu, ProgressOutput: TextWriter.Null));
        var openCl = DigitsTraining.Run(new DigitsTraining.Settings(data, _directory["opencl"], MaxEpochs: 5, Device: fixture.Device, ProgressOutput: TextWriter.Null));

        output.WriteLine($"CPU:    test_acc {cpu.Test["test_acc"]:F6}, test_loss {cpu.Test["test_loss"]:F6}");
        output.WriteLine($"OpenCL: test_acc {openCl.Test["test_acc"]:F6}, test_loss {openCl.Test["test_loss"]:F6}");
        Assert.Equal(cpu.Fit.GlobalStep, openCl.Fit.GlobalStep);
        Assert.Equal(Path.GetFileName(cpu.BestCheckpoint), Path.GetFileName(openCl.BestCheckpoint));
        Assert.Equal(cpu.Test["test_acc"], openCl.Test["test_acc"]);
        Assert.Equal(cpu.Test["test_loss"], openCl.Test["test_loss"], 1e-4 * cpu.Test["test_loss"]);
    }

    [OpenClFact]
    public void ResumingOnOpenClWithGradientAccumulationIsExact()
    {
        var train = new DataLoader(Blobs.Make(96, 4, 3, seed: 1), batchSize: 16, shuffle: true, seed: 3);
        var validation = new DataLoader(Blobs.Make(30, 4, 3, seed: 2), batchSize: 10);
        TrainerOptions Options(int maxEpochs, Device device, params Callback[] callbacks)
        {
            var options = new TrainerOptions
            {
                MaxEpochs = maxEpochs, Device = device, EnableProgressBar = false, GradientClipNorm = 1f, AccumulateGradBatches = 2,
            };
            foreach (Callback callback in callbacks)
                options.Callbacks.Add(callback);
            return options;
        }

        var uninterrupted = new ScheduledClassifier(seed: 5);
        using (var trainer = new Trainer(Options(4, fixture.Device)))
            trainer.Fit(uninterrupted, train, validation);

        var first = new ScheduledClassifier(seed: 5);
        using (var trainer = new Trainer(Options(2, fixture.Device, new ModelCheckpoint(_directory["resumed"], monitor: "val_loss", saveLast: true))))
            trainer.Fit(first, train, validation);
        var resumed = new ScheduledClassifier(seed: 99);
        using (var trainer = new Trainer(Options(4, fixture.Device)))
            trainer.Fit(resumed, train, validation, resumeFrom: _directory["resumed/last.safetensors"]);
        Assert.Equal(Bits(uninterrupted), Bits(resumed));

        var onCpu = new ScheduledClassifier(seed: 5);
        using (var trainer = new Trainer(Options(4, Device.Cpu)))
            trainer.Fit(onCpu, train, validation);
        Difference difference = Difference.Of(onCpu.Parameters.Buffer, uninterrupted.Parameters.Buffer);
        output.WriteLine($"ScheduledClassifier, 4 epochs with accumulation, CPU vs OpenCL parameters: {difference}");
        Assert.True(difference.MaxRelative < 1e-4, difference.ToString());
    }

    private static int[] Bits(ScheduledClassifier model) => model.Parameters.Buffer.Select(BitConverter.SingleToInt32Bits).ToArray();
}
