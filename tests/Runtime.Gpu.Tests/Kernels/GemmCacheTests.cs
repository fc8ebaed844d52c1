using System.Runtime.Intrinsics;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class GemmCacheTests
{
    [Fact]
    public void TheReportedCachesAreAbsentOrPlausible()
    {
        // CPUID may hide the leaf (then the defaults apply); what it reports must look like a cache.
        int? l1 = Gemm.DataCacheBytes(1), l2 = Gemm.DataCacheBytes(2);
        if (l1 is int bytes)
            Assert.InRange(bytes, 8 * 1024, 512 * 1024);
        if (l1 is int first && l2 is int second)
            Assert.True(second > first, $"L2 {second} bytes is not larger than L1 {first}.");
    }

    [Theory]
    [InlineData(32 * 1024)]
    [InlineData(48 * 1024)]
    [InlineData(64 * 1024)]
    public void CurrentL1SizesKeepTheFullDepth(int l1Bytes) => Assert.Equal(256, Gemm.DepthFor(l1Bytes));

    [Fact]
    public void ASmallL1GetsAShallowerPanelThatStillFits()
    {
        int panelFloats = Vector512.IsHardwareAccelerated ? 32 : 16;
        int depth = Gemm.DepthFor(16 * 1024);
        Assert.True(depth * panelFloats * sizeof(float) <= 16 * 1024, $"A {depth}-deep panel exceeds a 16 KB L1.");
        Assert.Equal(0, depth % 16);
        Assert.Equal(64, Gemm.DepthFor(1024));
    }
}
