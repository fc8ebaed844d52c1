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
