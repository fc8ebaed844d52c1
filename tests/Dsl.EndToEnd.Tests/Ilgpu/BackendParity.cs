using System.Collections.Generic;
using Dsl.EndToEnd.Tests.OpenCl;
using Xunit;

namespace Dsl.EndToEnd.Tests.Ilgpu;

// The runtime's Batch, not the end-to-end tests' own record of that name.
using Batch = Dsl.Batch;

/// <summary>
/// Issue 17's parity check of an ILGPU device against the CPU backend: a parity model compiled for
/// both from the same seed gives the same gradients and, after <see cref="Steps"/> training steps on
/// the same batches, the same parameters, to <see cref="Tolerance"/> relative. Shared by the test on
/// ILGPU's CPU accelerator and the one on CUDA.
/// </summary>
/// <remarks>
/// The backends sum in different orders and ILGPU's tanh and GELU round their multiply-adds twice, so
/// a step differs by a few ulp; a wrong index or formula differs by order 1.
/// </remarks>
public static class BackendParity
{
    private const int Steps = 20, BatchSize = 8, LastBatchSize = 3, MaxBatch = 8, Seed = 11;

    /// <summary>The bound on every relative difference (issue 17: gradients and parameters after 20 steps to 1e-4).</summary>
    private const double Tolerance = 1e-4;

    /// <summary>Runs the check of model <paramref name="name"/> on <paramref name="device"/>.</summary>
    /// <returns>The measured differences, to print.</returns>
    public static string Check(string name, Device device)
    {
        ITrainableModel cpuModel = ParityModels.Create(name, Seed), deviceModel = ParityModels.Create(name, Seed);
        using CompiledProgram cpu = cpuModel.Compile(Device.Cpu, MaxBatch, LossReduction.Mean);
        using CompiledProgram onDevice = deviceModel.Compile(device, MaxBatch, LossReduction.Mean);
        StepSignature training = cpu.TrainingSignature!;
        int count = cpuModel.Parameters.TrainableCount; // the gradients' length: buffers (BatchNorm) have none, and are compared with the parameters below

        Batch first = ParityModels.RandomBatch(training, BatchSize, seed: 1);
        float[] cpuGradients = new float[count], deviceGradients = new float[count];
        Difference value = Difference.Of(cpu.ValueAndGrad(first, cpuGradients), onDevice.ValueAndGrad(first, deviceGradients));
        Difference gradients = Difference.Of(cpuGradients, deviceGradients);

        Difference losses = default, afterFirstStep = default;
        for (int step = 0; step < Steps; step++)
        {
            Batch batch = ParityModels.RandomBatch(training, step == Steps - 1 ? LastBatchSize : BatchSize, seed: 100 + step);
            losses = losses.Max(Difference.Of(cpu.TrainStep(batch), onDevice.TrainStep(batch)));
            if (step == 0)
                afterFirstStep = Difference.Of(cpuModel.Parameters.Values, deviceModel.Parameters.Values);
        }
        Difference parameters = Difference.Of(cpuModel.Parameters.Values, deviceModel.Parameters.Values);

        foreach (var (what, d) in new[] { ("gradients", gradients), ("value", value), ("losses", losses) })
            Assert.True(d.MaxRelative <= Tolerance, $"{name}: {what} differ by {d} (bound: relative {Tolerance:E0}).");
        Assert.True(parameters.MaxRelative <= Tolerance, $"{name}: parameters differ by {parameters} (bound: relative {Tolerance:E0}).");
        return $"{name} ({count} parameters) CPU vs {device.Name}: gradients {gradients}; value {value}; losses {losses}; "
            + $"parameters after step 1 {afterFirstStep}, after {Steps} steps {parameters}";
    }
}
