using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.GradientHooks;

/// <summary>
/// The gradient hook's check, shared by the CPU and OpenCL tests: a hook that halves every
/// gradient trains SGD (with momentum) exactly as the learning rate halved does, since halving is
/// exact in floating point and SGD is linear in the gradient; and it runs once per bucket per step.
/// </summary>
internal static class GradientHookRun
{
    private const int Steps = 4, Batch = 6;

    /// <summary>Trains two Regressors from one seed on <paramref name="device"/>: one with the halving hook, one at half the learning rate; returns their parameters and the hook.</summary>
    public static (float[] Hooked, float[] HalfRate, HalvingHook Hook, int Buckets) Train(Device device, bool clip)
    {
        Regressor hookedModel = new(seed: 4), halfRateModel = new(seed: 4);
        using Regressor.Program hooked = hookedModel.Compile(device, Batch);
        using Regressor.Program halfRate = halfRateModel.Compile(device, Batch);
        var hook = new HalvingHook();
        hooked.GradientHook = hook;
        halfRate.OptimizerState!.Optimizer.LearningRate /= 2;
        if (clip)
        {
            // A bound no gradient reaches: the scale stays 1, but the step takes the whole-gradient path.
            hooked.OptimizerState!.Optimizer.ClipGradNorm = 1e30f;
            halfRate.OptimizerState.Optimizer.ClipGradNorm = 1e30f;
        }

        var random = new Random(11);
        for (int step = 0; step < Steps; step++)
        {
            float[] x = Enumerable.Range(0, Batch * 5).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] target = Enumerable.Range(0, Batch * 3).Select(_ => (float)random.NextDouble()).ToArray();
            Assert.Equal(halfRate.TrainStep(x, target), hooked.TrainStep(x, target));
        }

        return (hookedModel.Parameters.Values.ToArray(), halfRateModel.Parameters.Values.ToArray(), hook, hooked.GradientBuckets.Count);
    }

    /// <summary>Asserts bit-identical parameters, and one call per bucket per step in the buckets' order.</summary>
    public static void AssertHalvedRate(float[] hooked, float[] halfRate, HalvingHook hook, int buckets, bool onHost)
    {
        Assert.Equal(halfRate.Select(BitConverter.SingleToInt32Bits), hooked.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Regressor.ParameterCount, hooked.Length);
        Assert.Equal(Steps * buckets, hook.Calls.Count);
        Assert.Equal(Enumerable.Repeat(Enumerable.Range(0, buckets), Steps).SelectMany(b => b), hook.Calls.Select(c => c.Bucket));
        Assert.All(hook.Calls, call => Assert.Equal(onHost, call.OnHost));
    }
}
