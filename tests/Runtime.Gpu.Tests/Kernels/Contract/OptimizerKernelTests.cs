using System;
using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// The optimizer updates, three steps of SGD (plain, momentum, Nesterov with decay and dampening),
/// Adam with L2 decay and AdamW: the step's scalars come from a second optimizer state, as a
/// device program takes them, and the result must equal the CPU optimizer's own update bit for bit
/// (the kernels promise its arithmetic, not an approximation of it). The clip factor computed on the
/// device from a sum of squares must equal the host's, bit for bit, on the same sum.
/// </summary>
public abstract class OptimizerKernelTests : KernelContractTests
{
    private const int Count = 1_001;

    private static readonly Func<Optimizer>[] Optimizers =
    [
        () => new Sgd(0.1f),
        () => new Sgd(0.1f, momentum: 0.9f),
        () => new Sgd(0.05f, momentum: 0.8f, nesterov: true, weightDecay: 0.01f),
        () => new Sgd(0.05f, momentum: 0.8f, weightDecay: 0.01f, dampening: 0.25f),
        () => new Adam(1e-2f, weightDecay: 0.01f),
        () => new AdamW(1e-2f, weightDecay: 0.1f),
    ];

    [KernelFact]
    public void UpdatesAsTheCpuOptimizerDoes()
    {
        float[] initial = RandomFloats(1, Count);
        float[][] gradients = [RandomFloats(2, Count), RandomFloats(3, Count), RandomFloats(4, Count)];
        foreach (Func<Optimizer> create in Optimizers)
        {
            Verify(h => RunKernels(h, create(), initial, gradients), () => RunOptimizer(create(), initial, gradients), 0);
        }
    }

    [KernelFact]
    public void ComputesTheHostsClipFactor()
    {
        // Sums of squares whose norms fall below, at and above the limits, and the edges: no gradient,
        // an infinite norm (factor 0) and a NaN one (not clipped: factor 1).
        float[] sums = [0f, 1e-12f, 0.2499f, 0.25f, 1f, 3f, 1234.5f, 1e6f, 3.4e38f, float.PositiveInfinity, float.NaN];
        float[] limits = [0.5f, 1f, 30f];
        Verify(
            h =>
            {
                var factors = new float[sums.Length * limits.Length];
                var factor = h.Zeros(1);
                for (int i = 0; i < factors.Length; i++)
                {
                    h.Kernels.ClipFactor(h.Floats([sums[i % sums.Length]]), limits[i / sums.Length], factor);
                    factors[i] = h.Read(factor)[0];
                }

                return factors;
            },
            () => Enumerable.Range(0, sums.Length * limits.Length)
                .Select(i => (double)OptimizerState.ClipFactor((float)Math.Sqrt(sums[i % sums.Length]), limits[i / sums.Length]))
                .ToArray(),
            0);
    }

    /// <summary>The parameters and the state's buffers after the steps, by the library's update kernels.</summary>
    private static float[] RunKernels(KernelHarness h, Optimizer optimizer, float[] initial, float[][] gradients)
    {
        OptimizerState state = optimizer.CreateState(Count);
        var parameters = h.Floats(initial);
        var first = h.Zeros(Count);
        var second = h.Zeros(Count);
        foreach (float[] g in gradients)
        {
            var grads = h.Floats(g);
            // The factor the update reads on the device: 1 here (no clipping).
            var scale = h.Floats([state.BeginUpdate(gradientNorm: 1f)]);
            if (state is AdamState adam)
            {
                adam.BeginDeviceStep();
                var flags = (adam.AddsL2Decay ? AdamUpdateFlags.L2Decay : 0) | (adam.DecaysDecoupled ? AdamUpdateFlags.DecoupledDecay : 0);
                h.Kernels.AdamUpdate(
                    Count, scale, adam.WeightDecay, adam.DecayFactor, adam.OneMinusBeta1, adam.Beta2, adam.OneMinusBeta2,
                    adam.MinusStepSize, adam.InverseBias2Sqrt, adam.Epsilon, flags, parameters, grads, first, second);
            }
            else
            {
                var sgd = (Sgd.State)state;
                sgd.BeginDeviceStep();
                var flags = (sgd.DecaysWeights ? SgdUpdateFlags.Decay : 0) | (sgd.HasMomentum ? SgdUpdateFlags.Momentum : 0)
                    | (sgd.Sgd.Nesterov ? SgdUpdateFlags.Nesterov : 0) | (sgd.FirstStep ? SgdUpdateFlags.FirstStep : 0);
                h.Kernels.SgdUpdate(Count, scale, sgd.MinusLearningRate, sgd.Sgd.WeightDecay, sgd.Sgd.Momentum, sgd.Keep, flags, parameters, grads, first);
            }
        }

        return [.. h.Read(parameters), .. h.Read(first), .. h.Read(second)];
    }

    /// <summary>The same from the CPU optimizer's own update (buffers it does not keep read as zeros).</summary>
    private static double[] RunOptimizer(Optimizer optimizer, float[] initial, float[][] gradients)
    {
        OptimizerState state = optimizer.CreateState(Count);
        float[] parameters = (float[])initial.Clone();
        foreach (float[] g in gradients)
            state.Update(parameters, (float[])g.Clone());
        var result = new double[3 * Count];
        for (int i = 0; i < Count; i++)
            result[i] = parameters[i];
        for (int b = 0; b < state.Buffers.Count; b++)
        {
            Span<float> values = state.Buffers[b].Values.Span;
            for (int i = 0; i < Count; i++)
                result[((b + 1) * Count) + i] = values[i];
        }

        return result;
    }
}

/// <summary>The CPU's update kernels against the CPU optimizers.</summary>
public sealed class CpuOptimizerKernelTests : OptimizerKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL update kernels against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClOptimizerKernelTests(OpenClKernelsFixture fixture) : OptimizerKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
