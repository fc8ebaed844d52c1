using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.GradientHooks;

/// <summary>The gradient hook on the CPU, on both training paths: the step in parts and the whole gradient.</summary>
public sealed class GradientHookTests
{
    [Fact]
    public void HalvingTheGradientsInTheStepInPartsEqualsHalvingTheLearningRate()
    {
        var (hooked, halfRate, hook, buckets) = GradientHookRun.Train(Device.Cpu, clip: false);
        GradientHookRun.AssertHalvedRate(hooked, halfRate, hook, buckets, onHost: true);
    }

    [Fact]
    public void HalvingTheWholeGradientEqualsHalvingTheLearningRate()
    {
        var (hooked, halfRate, hook, buckets) = GradientHookRun.Train(Device.Cpu, clip: true);
        GradientHookRun.AssertHalvedRate(hooked, halfRate, hook, buckets, onHost: true);
    }

    [Fact]
    public void TheBucketsCoverEveryParameterOnceInTheOrderTheBackwardPassFinishesThem()
    {
        using Regressor.Program program = new Regressor(seed: 1).Compile(Device.Cpu, 4);
        var buckets = program.GradientBuckets;
        Assert.Equal(Enumerable.Range(0, buckets.Count), buckets.Select(b => b.Index));
        Assert.Equal(
            Enumerable.Range(0, Regressor.ParameterCount),
            buckets.OrderBy(b => b.Offset).SelectMany(b => Enumerable.Range(b.Offset, b.Length)));
        // The backward pass reaches the last layer first: its bias and weight are the first buckets.
        Assert.Equal(["decode.bias", "decode.weight"], buckets.Take(2).SelectMany(b => b.Parameters).Order());
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 3)]
    public void TheTrainersHookRunsOncePerBucketPerUpdateWithOrWithoutAccumulation(int accumulate, int updates)
    {
        int buckets;
        using (var program = new ScheduledClassifier(seed: 1).Compile(Device.Cpu, 16))
            buckets = program.GradientBuckets.Count;
        var hook = new HalvingHook();
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 1, AccumulateGradBatches = accumulate, GradientHook = hook, EnableProgressBar = false });
        var data = new DataLoader(Training.Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);
        Assert.Equal(updates, trainer.Fit(new ScheduledClassifier(seed: 1), data).GlobalStep);
        Assert.Equal(updates * buckets, hook.Calls.Count);
        Assert.Equal(Enumerable.Repeat(Enumerable.Range(0, buckets), updates).SelectMany(b => b), hook.Calls.Select(c => c.Bucket));
    }

    [Fact]
    public void ValueAndGradDoesNotCallTheHook()
    {
        using Regressor.Program program = new Regressor(seed: 1).Compile(Device.Cpu, 4);
        var hook = new HalvingHook();
        program.GradientHook = hook;
        program.ValueAndGrad(new float[10], new float[6], new float[Regressor.ParameterCount]);
        Assert.Empty(hook.Calls);
    }
}
