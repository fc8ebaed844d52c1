using System;
using Dsl.Testing;
using Dsl.Tests.Kernels.Contract;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Tiling;

/// <summary>The library's explicit-tiling constructor takes only tilings the kernel and the device can run.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmTilingValidationTests(OpenClKernelsFixture fixture)
{
    [OpenClTheory]
    [InlineData(64, 0)]
    [InlineData(64, 3)]
    [InlineData(4, 8)]
    [InlineData(48, 32)]
    public void ABlockThatDoesNotDivideTheTileIsRefused(int tile, int block) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenClKernels(fixture.Device, (tile, block)));

    [OpenClFact]
    public void ATileWhoseWorkItemsExceedAWorkGroupIsRefused()
    {
        // Blocks of 1: the tile's work-items are its elements; one side past the device's largest group.
        int side = (int)Math.Ceiling(Math.Sqrt(fixture.Device.MaxWorkGroupSize + 1.0));
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new OpenClKernels(fixture.Device, (side, 1)));
        Assert.Contains($"allows {fixture.Device.MaxWorkGroupSize}", refused.Message);
    }

}
