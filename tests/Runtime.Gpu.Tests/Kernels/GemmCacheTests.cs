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

    [Theory]
    [InlineData(1024 * 1024)]
    [InlineData(2 * 1024 * 1024)]
    public void AnL2OfAMegabyteOrMoreGetsTheDeepBlock(int l2Bytes) => Assert.Equal(512, Gemm.DepthFor(32 * 1024, l2Bytes));

    [Fact]
    public void ASmallerOrUnreportedL2KeepsTheL1Depth()
    {
        Assert.Equal(256, Gemm.DepthFor(32 * 1024, 512 * 1024));
        Assert.Equal(256, Gemm.DepthFor(48 * 1024, 256 * 1024));
        Assert.Equal(Gemm.DepthFor(16 * 1024), Gemm.DepthFor(16 * 1024, 128 * 1024));
        Assert.Equal(Gemm.DepthFor(32 * 1024), Gemm.DepthFor(32 * 1024, null));
    }

    [Fact]
    public void TheColumnsPerRoundFitHalfTheL3()
    {
        Assert.Equal(4096, Gemm.ColumnsFor(null, 512));
        Assert.Equal(4096, Gemm.ColumnsFor(32 * 1024 * 1024, 512));
        Assert.Equal(256, Gemm.ColumnsFor(64 * 1024, 512));
        // 8 MB: a 512-deep packed B of NC columns in 4 MB.
        Assert.Equal(2048, Gemm.ColumnsFor(8 * 1024 * 1024, 512));
        Assert.Equal(4096, Gemm.ColumnsFor(8 * 1024 * 1024, 256));
    }
}
