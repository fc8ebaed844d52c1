using System;
using System.Linq;
using Dsl.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.OpenCl;

// The runtime's Batch, not the end-to-end tests' own record of that name.
using Batch = Dsl.Batch;

/// <summary>
/// Backend parity: every model compiled for the CPU and for OpenCL from the same seed gives the
/// same gradients, the same loss at every one of <see cref="Steps"/> training steps on the same
/// batches, the same parameters after them, and the same predictions and validation metrics.
/// The measured differences are printed for each model.
/// </summary>
/// <remarks>
/// The two backends compute the same IR with the same formulas but not the same float
/// operations: sums run in another order (SIMD lanes and GEMM blocking on the CPU, one tile at a
/// time on OpenCL), and exp, log, tanh and erfc are the device's built-ins (a few ulp) rather
/// than the CPU's SIMD approximations. A single step therefore differs by a few float ulp
/// (relative 1e-6); over 20 optimizer steps the differences compound but stay far below
/// <see cref="Tolerance"/> (measured figures: see the test output and the integrator's notes).
/// A wrong index, operand or formula shows up as a relative difference of order 1.
/// </remarks>
[Collection(OpenClCollection.Name)]
public sealed class OpenClParityTests(OpenClDeviceFixture fixture, ITestOutputHelper output)
{
    private const int Steps = 20, BatchSize = 32, LastBatchSize = 7, MaxBatch = 64, Seed = 11;

    /// <summary>The bound on every relative difference (see the remarks).</summary>
    private const double Tolerance = 1e-4;

    [OpenClTheory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void TrainingPredictionAndMetricsMatchTheCpu(string name)
    {
        ITrainableModel cpuModel = ParityModels.Create(name, Seed), openClModel = ParityModels.Create(name, Seed);
        Assert.Equal(cpuModel.Parameters.Buffer, openClModel.Parameters.Buffer);
        using CompiledProgram cpu = cpuModel.Compile(Device.Cpu, MaxBatch, LossReduction.Mean);
        using CompiledProgram openCl = openClModel.Compile(fixture.Device, MaxBatch, LossReduction.Mean);
        Assert.Equal(DeviceKind.OpenCl, openCl.Device.Kind);
        StepSignature training = cpu.TrainingSignature!;
        int count = cpuModel.Parameters.TrainableCount; // the gradients' length: buffers (BatchNorm) have none, and are compared with the parameters below

        // ValueAndGrad at the initial parameters.
        Batch first = ParityModels.RandomBatch(training, BatchSize, seed: 1);
        float[] cpuGradients = new float[count], openClGradients = new float[count];
        Difference value = Difference.Of(cpu.ValueAndGrad(first, cpuGradients), openCl.ValueAndGrad(first, openClGradients));
        Difference gradients = Difference.Of(cpuGradients, openClGradients);

        // Training on the same batches, the last one short.
        Difference losses = default, trainMetrics = default;
        for (int step = 0; step < Steps; step++)
        {
            Batch batch = ParityModels.RandomBatch(training, step == Steps - 1 ? LastBatchSize : BatchSize, seed: 100 + step);
            losses = losses.Max(Difference.Of(cpu.TrainStep(batch), openCl.TrainStep(batch)));
            trainMetrics = trainMetrics.Max(MetricDifference(cpu, openCl, training));
        }
        Difference parameters = Difference.Of(cpuModel.Parameters.Buffer, openClModel.Parameters.Buffer);
        Assert.Equal(cpu.OptimizerState!.Step, openCl.OptimizerState!.Step);
        Difference moments = cpu.OptimizerState.Buffers.Zip(openCl.OptimizerState.Buffers)
            .Aggregate(default(Difference), (d, pair) => d.Max(Difference.Of(pair.First.Values.Span, pair.Second.Values.Span)));

        // Predict and EvalStep with the trained parameters.
        Batch test = ParityModels.RandomBatch(cpu.PredictSignature, 50, seed: 999);
        int outputs = 50 * cpu.PredictSignature.OutputSize;
        float[] cpuOutput = new float[outputs], openClOutput = new float[outputs];
        cpu.Predict(test, cpuOutput);
        openCl.Predict(test, openClOutput);
        Difference predictions = Difference.Of(cpuOutput, openClOutput);
        Difference evalMetrics = default;
        if (cpu.ValidationSignature is { } validation)
        {
            Batch held = ParityModels.RandomBatch(validation, 50, seed: 998);
            cpu.EvalStep(held);
            openCl.EvalStep(held);
            evalMetrics = MetricDifference(cpu, openCl, validation);
        }

        output.WriteLine($"{name} ({count} parameters) CPU vs {fixture.Device.Name}, {Steps} steps of batch {BatchSize} (last {LastBatchSize}):");
        output.WriteLine($"  gradients at step 0: {gradients}; value {value}");
        output.WriteLine($"  loss per step: {losses}; train metrics {trainMetrics}");
        output.WriteLine($"  parameters after {Steps} steps: {parameters}; optimizer moments {moments}");
        output.WriteLine($"  predictions: {predictions}; eval metrics {evalMetrics}");

        foreach (var (what, d) in new[]
        {
            ("gradients", gradients), ("value", value), ("losses", losses), ("train metrics", trainMetrics),
            ("parameters", parameters), ("moments", moments), ("predictions", predictions), ("eval metrics", evalMetrics),
        })
            Assert.True(d.MaxRelative <= Tolerance, $"{name}: {what} differ by {d} (bound: relative {Tolerance:E0}).");
    }

    /// <summary>The metrics a step logged, CPU against OpenCL.</summary>
    private static Difference MetricDifference(CompiledProgram cpu, CompiledProgram openCl, StepSignature step) =>
        step.Metrics.Aggregate(default(Difference), (d, metric) => d.Max(Difference.Of(cpu.Metrics[metric], openCl.Metrics[metric])));
}
