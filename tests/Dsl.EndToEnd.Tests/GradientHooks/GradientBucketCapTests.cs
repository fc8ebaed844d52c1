using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.GradientHooks;

/// <summary>
/// Gradient buckets merged to a size cap (<see cref="CompiledProgram.GradientBucketCapBytes"/>,
/// PyTorch DDP's <c>bucket_cap_mb</c>) and handed to the hook during the backward pass, as each
/// bucket's last gradient is final, on the CPU program's whole-gradient path.
/// </summary>
public sealed class GradientBucketCapTests
{
    private const int Steps = 4, Batch = 6;

    /// <summary>
    /// Regressor's parameters (layout: encode.weight 60, encode.bias 12, mix.weight 72, decode.weight
    /// 18, decode.bias 3 floats) merged from the last layer backwards under a cap of 100 floats:
    /// decode and mix (93 floats) fill one bucket, encode (72) the next, each a contiguous range.
    /// </summary>
    [Fact]
    public void ACapMergesNeighboursFromTheLastLayerBackwards()
    {
        using Regressor.Program program = new Regressor(seed: 1).Compile(Device.Cpu, Batch);
        int perParameter = program.GradientBuckets.Count;
        program.GradientBucketCapBytes = 100 * sizeof(float);

        var buckets = program.GradientBuckets;
        Assert.Equal(5, perParameter);
        Assert.Equal([(0, 72, 93), (1, 0, 72)], buckets.Select(b => (b.Index, b.Offset, b.Length)));
        Assert.Equal(["mix.weight", "decode.weight", "decode.bias"], buckets[0].Parameters);
        Assert.Equal(["encode.weight", "encode.bias"], buckets[1].Parameters);

        // A cap below every parameter keeps one bucket each; 0 restores the program's own list.
        program.GradientBucketCapBytes = 4;
        Assert.Equal(perParameter, program.GradientBuckets.Count);
        program.GradientBucketCapBytes = 0;
        Assert.Equal(perParameter, program.GradientBuckets.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => program.GradientBucketCapBytes = -1);
    }

    /// <summary>
    /// With merged buckets a hook that halves every gradient trains SGD with momentum exactly as half
    /// the learning rate does, bit for bit, so each bucket was handed over with its gradients final;
    /// the first bucket is handed over from inside the backward pass (while the encoder's gradients
    /// are still to be computed: what lets an all-reduce overlap them), and each step ends with one
    /// <see cref="GradientHook.CompleteBuckets"/> after both buckets.
    /// </summary>
    [Fact]
    public void MergedBucketsAreHandedOverDuringTheBackwardPassWithTheirGradientsFinal()
    {
        Regressor hookedModel = new(seed: 4), halfRateModel = new(seed: 4);
        using Regressor.Program hooked = hookedModel.Compile(Device.Cpu, Batch);
        using Regressor.Program halfRate = halfRateModel.Compile(Device.Cpu, Batch);
        var hook = new BackwardProbeHook();
        hooked.GradientHook = hook;
        hooked.GradientBucketCapBytes = 100 * sizeof(float);
        halfRate.OptimizerState!.Optimizer.LearningRate /= 2;

        var random = new Random(11);
        for (int step = 0; step < Steps; step++)
        {
            float[] x = Enumerable.Range(0, Batch * 5).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] target = Enumerable.Range(0, Batch * 3).Select(_ => (float)random.NextDouble()).ToArray();
            Assert.Equal(halfRate.TrainStep(x, target), hooked.TrainStep(x, target));
        }

        Assert.Equal(halfRateModel.Parameters.Values.ToArray().Select(BitConverter.SingleToInt32Bits), hookedModel.Parameters.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Enumerable.Repeat(new[] { 0, 1 }, Steps).SelectMany(b => b), hook.Calls.Select(c => c.Bucket));
        Assert.All(hook.Calls.Where(c => c.Bucket == 0), c => Assert.True(c.InsideBackward));
        Assert.Equal(Enumerable.Repeat(2, Steps), hook.Completions);
    }
}
