using Dsl.EndToEnd.Tests.GradientHooks;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>The gradient hook on OpenCL: called per bucket with the gradients on the device, and its halving equals halving SGD's learning rate.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGradientHookTests(OpenClDeviceFixture fixture)
{
    [OpenClFact]
    public void HalvingTheGradientsOnTheDeviceEqualsHalvingTheLearningRate()
    {
        var (hooked, halfRate, hook, buckets) = GradientHookRun.Train(fixture.Device, clip: false);
        GradientHookRun.AssertHalvedRate(hooked, halfRate, hook, buckets, onHost: false);
    }
}
