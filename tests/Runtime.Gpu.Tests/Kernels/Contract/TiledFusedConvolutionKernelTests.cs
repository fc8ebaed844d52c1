using System;
using System.Collections.Concurrent;
using Dsl.Testing;
using Dsl.Tests.Ilgpu;
using Dsl.Tests.Kernels.Tiling;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

// Issues 17/19: the fused convolution's contract on the tiled device kernels at
// tilings other than this machine's (the device libraries' own classes are in
// FusedConvolutionKernelTests.cs: OpenCL's runs the tiled kernels at PoCL's tiling, ILGPU's CPU
// accelerator the direct sums), and on OpenCL's direct sums, which remain its fallback.

/// <summary>The OpenCL tiled convolution at a GPU's GEMM tiling (tile 64, blocks of 4: 16 columns of work-items, up to 16 rows).</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGpuTilingFusedConvolutionKernelTests(OpenClGemmTilings tilings)
    : FusedConvolutionKernelTests, IOpenClKernelTests, IClassFixture<OpenClGemmTilings>
{
    protected override DeviceKernels Kernels => tilings.Library(64, 4);

    /// <summary>
    /// The weight gradient's order of summation is fixed by the shape (each weight's slice summed in
    /// one work-item, the slices in order), not by the work-group split: the same bits at a GPU's
    /// tiling, a CPU's and a small one.
    /// </summary>
    [OpenClFact]
    public void WeightGradientHasTheSameBitsAtEveryTiling()
    {
        Case s = Large;
        float[] dy = RandomFloats(12, s.OutputSize), image = RandomFloats(13, s.ImageSize);
        float[] WeightGradient(OpenClKernels kernels)
        {
            using var h = new KernelHarness(kernels);
            var dw = h.Zeros(s.WeightSize);
            kernels.ConvolutionWeightGrad(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O, h.Floats(dy).Slice(0), h.Floats(image).Slice(0), dw.Slice(0));
            return h.Read(dw);
        }

        float[] gpu = WeightGradient(tilings.Library(64, 4));
        Assert.Equal(gpu, WeightGradient(tilings.Library(64, 8)));
        Assert.Equal(gpu, WeightGradient(tilings.Library(8, 4)));
    }
}

/// <summary>The OpenCL tiled convolution at a tile of 8 in blocks of 4: every case spans several tiles each way.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClSmallTileFusedConvolutionKernelTests(OpenClGemmTilings tilings)
    : FusedConvolutionKernelTests, IOpenClKernelTests, IClassFixture<OpenClGemmTilings>
{
    protected override DeviceKernels Kernels => tilings.Library(8, 4);
}

/// <summary>The OpenCL library at this device's tiling with the direct sums asked for, built once per class.</summary>
/// <param name="fixture">The collection's device.</param>
public sealed class OpenClDirectConvolutionLibrary(OpenClKernelsFixture fixture)
{
    private readonly Lazy<OpenClKernels> _library = new(() =>
        new OpenClKernels(fixture.Device, OpenClKernels.DeviceGemmTiling(fixture.Device)) { UsesDirectConvolution = true });

    /// <summary>The library (its kernels are the device's, released with it).</summary>
    public OpenClKernels Library => _library.Value;
}

/// <summary>The OpenCL direct sums (the fallback of a device whose work-group limit holds no row of a tile).</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClDirectFusedConvolutionKernelTests(OpenClDirectConvolutionLibrary direct)
    : FusedConvolutionKernelTests, IOpenClKernelTests, IClassFixture<OpenClDirectConvolutionLibrary>
{
    protected override DeviceKernels Kernels => direct.Library;
}

/// <summary>ILGPU libraries with an explicit tiling (so tiled convolutions) on the collection's CPU accelerator, built once per class.</summary>
/// <param name="fixture">The collection's device.</param>
public sealed class IlgpuTiledLibraries(IlgpuKernelsFixture fixture) : IDisposable
{
    private readonly ConcurrentDictionary<(int Tile, int Block), IlgpuKernels> _libraries = new();

    /// <summary>The library at (<paramref name="tile"/>, <paramref name="block"/>).</summary>
    public IlgpuKernels Library(int tile, int block) =>
        _libraries.GetOrAdd((tile, block), tiling => new IlgpuKernels(fixture.Device, tiling));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IlgpuKernels library in _libraries.Values)
            library.Dispose();
    }
}

/// <summary>
/// The ILGPU tiled convolution on the CPU accelerator at its GEMM tiling (16 in blocks of 4: groups
/// of up to 16 threads, its limit), against the CPU; and its order of summation fixed by the shape.
/// Other tilings of the same algorithm run on OpenCL above: here each group barrier is an OS-thread
/// barrier, and a second tiling's whole contract took 65 s.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuTiledFusedConvolutionKernelTests(IlgpuTiledLibraries libraries)
    : FusedConvolutionKernelTests, IClassFixture<IlgpuTiledLibraries>
{
    protected override DeviceKernels Kernels => libraries.Library(16, 4);

    /// <summary>
    /// Each weight sums its slice's terms one after another in one thread, whatever the tile, and the
    /// slices in order: the bits are the same at another tiling (another split of the work into
    /// groups and threads), which no float atomics or scheduling-dependent order would give.
    /// </summary>
    [Fact]
    public void WeightGradientHasTheSameBitsAtEveryTiling()
    {
        Case s = Large;
        float[] dy = RandomFloats(12, s.OutputSize), image = RandomFloats(13, s.ImageSize);
        float[] WeightGradient(IlgpuKernels kernels)
        {
            using var h = new KernelHarness(kernels);
            var dw = h.Zeros(s.WeightSize);
            kernels.ConvolutionWeightGrad(s.Batch, s.C, s.H, s.W, s.Kh, s.Kw, s.Sh, s.Sw, s.Ph, s.Pw, s.Dh, s.Dw, s.O, h.Floats(dy).Slice(0), h.Floats(image).Slice(0), dw.Slice(0));
            return h.Read(dw);
        }

        Assert.Equal(WeightGradient(libraries.Library(16, 4)), WeightGradient(libraries.Library(8, 2)));
    }
}
