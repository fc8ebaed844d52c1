using System;
using System.Linq;
using Dsl.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Tests.OpenCl;

/// <summary>
/// <see cref="DeviceOptimizer"/> on OpenCL against the CPU's <see cref="OptimizerState.Update"/>, step by
/// step: parameters, the state's buffers, the gradient norm and the step count.
/// </summary>
/// <remarks>
/// Tolerance: 1e-6 relative to the tensor, |opencl - cpu| ≤ 1e-6·max|cpu| element by element
/// (max over the parameters, or over the buffer), and 1e-6 relative for the norm. The element-wise
/// arithmetic is the CPU's operation for operation, and without clipping the results are identical
/// (measured: 0 difference). With clipping the norm is summed in another order (4096-element
/// work-group blocks instead of the CPU's SIMD lanes), which can move the clip factor by an ulp;
/// an element that is a difference of nearly equal terms (a momentum after a sign change) keeps
/// that error absolute, not relative to itself, hence a tolerance relative to the tensor.
/// </remarks>
[Collection(OpenClCollection.Name)]
public sealed class OpenClDeviceOptimizerTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, bool> Configurations()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "sgd", "sgd-momentum", "sgd-dampening", "sgd-nesterov", "sgd-decay", "adam", "adam-decay", "adamw" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [OpenClTheory]
    [MemberData(nameof(Configurations))]
    public void MatchesTheCpuUpdateStepByStep(string configuration, bool clip)
    {
        using var device = Device.OpenCL();
        foreach (int count in new[] { 37, 100_003 })
        {
            var (maxDifference, maxNormDifference) = Compare(device, configuration, clip, count, steps: 5);
            output.WriteLine(
                $"{configuration}{(clip ? " clipped" : "")}, {count} floats, 5 steps: max |Δ|/max|cpu| {maxDifference:E2}, norm relative Δ {maxNormDifference:E2}");
        }
    }

    [OpenClFact]
    public void TheMomentsStayOnTheDeviceAndMoveOnlyWhenTheHostReadsOrWritesThem()
    {
        using var device = Device.OpenCL();
        const int count = 100;
        OptimizerState state = new Adam(1e-2f).CreateState(count);
        using var optimizer = new DeviceOptimizer(state, device);
        using var parameters = device.AllocateFloats(count, "parameters");
        using var gradients = device.AllocateFloats(count, "gradients");
        gradients.Write(Enumerable.Range(0, count).Select(i => (i - 50) / 50f).ToArray());

        // The first step uploads the moments; the second moves nothing parameter-sized.
        optimizer.Update(parameters, gradients);
        TransferCounts before = device.Transfers;
        optimizer.Update(parameters, gradients);
        TransferCounts step = device.Transfers - before;
        Assert.Equal(0, step.BytesToDevice);
        Assert.Equal(0, step.BytesToHost); // the norm and the clip factor stay on the device

        // The norm comes down when asked for: its sum of squares, one float, once.
        before = device.Transfers;
        float norm = state.LastGradientNorm;
        Assert.Equal(norm, state.LastGradientNorm);
        Assert.Equal(4L, (device.Transfers - before).BytesToHost);

        // Reading the host's buffers downloads them once: m = β1·m + (1 - β1)·g after two steps.
        Assert.True(state.Residency.DeviceIsNewer);
        float[] m = state.Buffers[0].Values.ToArray();
        Assert.False(state.Residency.DeviceIsNewer);
        Assert.Equal(0.19f * (1 - 50) / 50f, m[1], 1e-6f);

        // A "restored checkpoint": values written on the host reach the device before the next step.
        state.Buffers[0].Values.Span.Fill(2f);
        gradients.Fill(0f, 0, count);
        optimizer.Update(parameters, gradients);
        Assert.All(state.Buffers[0].Values.ToArray(), v => Assert.Equal(0.9f * 2f, v, 1e-6f));
    }

    [OpenClFact]
    public void RejectsOtherStatesAndWrongBuffers()
    {
        using var device = Device.OpenCL();
        var error = Assert.Throws<NotSupportedException>(() => new DeviceOptimizer(new CustomState(new Sgd(0.1f)), device));
        Assert.Contains("runs Sgd, Adam and AdamW", error.Message);

        using var optimizer = new DeviceOptimizer(new Sgd(0.1f).CreateState(8), device);
        using var right = device.AllocateFloats(8, "right");
        using var wrong = device.AllocateFloats(7, "_parameters of Test");
        var lengths = Assert.Throws<ArgumentException>(() => optimizer.Update(wrong, right));
        Assert.Contains("Expected at least 8 parameters but buffer '_parameters of Test' has 7", lengths.Message); // a model's buffers may follow its parameters
        Assert.Equal(0, optimizer.State.Step);
    }

    [OpenClFact]
    public void AStepAllocatesNothing()
    {
        using var device = Device.OpenCL();
        const int count = 50_000;
        using var optimizer = new DeviceOptimizer(new AdamW { ClipGradNorm = 1f }.CreateState(count), device);
        using var sgd = new DeviceOptimizer(new Sgd(0.1f, momentum: 0.9f, nesterov: true).CreateState(count), device);
        using var parameters = device.AllocateFloats(count, "parameters");
        using var gradients = device.AllocateFloats(count, "gradients");
        for (int i = 0; i < 5; i++)
        {
            optimizer.Update(parameters, gradients);
            sgd.Update(parameters, gradients);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            optimizer.Update(parameters, gradients);
            sgd.Update(parameters, gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (double MaxDifference, double MaxNormDifference) Compare(OpenClDevice device, string configuration, bool clip, int count, int steps)
    {
        Optimizer Create()
        {
            Optimizer optimizer = configuration switch
            {
                "sgd" => new Sgd(0.1f),
                "sgd-momentum" => new Sgd(0.05f, momentum: 0.9f),
                "sgd-dampening" => new Sgd(0.05f, momentum: 0.8f, dampening: 0.3f),
                "sgd-nesterov" => new Sgd(0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
                "sgd-decay" => new Sgd(0.1f, weightDecay: 0.05f),
                "adam" => new Adam(1e-2f),
                "adam-decay" => new Adam(1e-2f, 0.8f, 0.99f, 1e-6f, 0.1f),
                "adamw" => new AdamW(1e-2f, weightDecay: 0.1f),
                _ => throw new ArgumentException(configuration),
            };
            // The gradients' norm is about 0.29·√count: clip to a third of it.
            if (clip)
                optimizer.ClipGradNorm = (float)(0.1 * Math.Sqrt(count));
            return optimizer;
        }

        var random = new Random(count + configuration.Length);
        float[] cpuParameters = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        OptimizerState cpu = Create().CreateState(count);
        OptimizerState gpu = Create().CreateState(count);
        using var optimizer = new DeviceOptimizer(gpu, device);
        using var parameters = device.AllocateFloats(count, "parameters");
        using var gradients = device.AllocateFloats(count, "gradients");
        parameters.Write(cpuParameters);

        double maxDifference = 0, maxNormDifference = 0;
        var deviceParameters = new float[count];
        for (int step = 1; step <= steps; step++)
        {
            float[] g = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            float[] original = (float[])g.Clone();
            gradients.Write(g);
            cpu.Update(cpuParameters, g);
            optimizer.Update(parameters, gradients);

            Assert.Equal(cpu.Step, gpu.Step);
            double normDifference = Math.Abs(cpu.LastGradientNorm - gpu.LastGradientNorm) / cpu.LastGradientNorm;
            maxNormDifference = Math.Max(maxNormDifference, normDifference);
            Assert.True(
                normDifference <= Tolerance,
                $"step {step}: norm {gpu.LastGradientNorm} on the device, {cpu.LastGradientNorm} on the CPU");

            parameters.Read(deviceParameters);
            Check("parameters", cpuParameters, deviceParameters);
            // Reading the state's buffers downloads the device's moments (and the next step uploads them again).
            for (int b = 0; b < cpu.Buffers.Count; b++)
                Check(cpu.Buffers[b].Name, cpu.Buffers[b].Values.ToArray(), gpu.Buffers[b].Values.ToArray());

            // The gradients are left as they were.
            gradients.Read(g);
            Assert.Equal(original, g);

            void Check(string what, float[] expected, float[] actual)
            {
                double magnitude = expected.Max(v => Math.Abs((double)v));
                for (int i = 0; i < count; i++)
                {
                    double difference = Math.Abs(actual[i] - (double)expected[i]);
                    maxDifference = Math.Max(maxDifference, difference / magnitude);
                    if (difference > Tolerance * magnitude)
                        Assert.Fail($"{configuration}{(clip ? " clipped" : "")}, {count} floats, step {step}, {what}[{i}]: CPU {expected[i]:R}, OpenCL {actual[i]:R}.");
                }
            }
        }

        return (maxDifference, maxNormDifference);
    }

    private sealed class CustomState(Optimizer optimizer) : OptimizerState(optimizer, 1)
    {
        protected override System.Collections.Generic.IReadOnlyList<OptimizerBuffer> StateBuffers => Array.Empty<OptimizerBuffer>();

        protected override void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale)
        {
        }
    }
}
