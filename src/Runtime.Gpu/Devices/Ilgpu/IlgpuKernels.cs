using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

/// <summary>
/// An <see cref="IlgpuDevice"/>'s kernel library: the OpenCL library's kernels as ILGPU C#
/// (<c>Dsl.Kernels.Ilgpu</c>), each compiled on its first call, all launched on the stream of the
/// device or program view it belongs to (<see cref="IlgpuDevice.ForProgram"/>: one library per program); products on cuBLAS where the device has it, else on the ILGPU tiled GEMM. Results match
/// <see cref="CpuKernels"/> bit for bit where the kernels only move floats or follow the CPU's
/// arithmetic (movement, gathers, dropout, the optimizer updates) and within float rounding
/// elsewhere (GEMM and the reductions sum in another order; exp and log are the device's).
/// </summary>
/// <remarks>
/// Calls are enqueued and return at once; a buffer's read waits for them. Calls from several
/// threads are serialised. Every kernel runs on a bounded grid: the softmaxes, cross-entropy,
/// LayerNorm and the reduction's first stage run a thread group per row or block and reduce in
/// shared memory, the tiled GEMM a group per tile, each group taking rows, blocks or tiles in turn;
/// the rest are grid-stride loops over elements, rows or columns (<see cref="IlgpuGridStride"/>).
/// </remarks>
public sealed partial class IlgpuKernels : DeviceKernels
{
    /// <summary>Elements each thread of a reduction's first stage adds up.</summary>
    internal const int ItemsPerThread = 16;

    private readonly IlgpuDevice _device;
    private readonly Accelerator _accelerator;
    // Every launch, and cuBLAS's calls, go on this stream: the device's, or its program view's.
    private readonly AcceleratorStream _stream;
    private readonly object _gate = new();
    private IlgpuBuffer? _partials;

    // The tiled GEMM and convolution at GemmBlock, whose sums ILGPU keeps in registers.
    private readonly IlgpuTiledKernelSet _tiled;

    /// <summary>Builds the library of <paramref name="device"/> with its GEMM tiling; <see cref="IlgpuDevice.Kernels"/> calls it once.</summary>
    internal IlgpuKernels(IlgpuDevice device)
        : this(device, DefaultGemmTiling(device))
    {
        UsesDirectGemm = device.Kind == DeviceKind.IlgpuCpu;
        _usesDirectConvolution = device.Kind == DeviceKind.IlgpuCpu;
    }

    /// <summary>
    /// Builds the library with an explicit tiled-GEMM tiling, so that the tests can run the GEMM at
    /// several tilings, not only the device's.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="tiling">The side of a group's block of C and of a thread's.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The block is not 1, 2 or 4 (<see cref="IlgpuTiledKernelSet.Supports"/>) or does not divide the tile, or the
    /// tile's (tile / block)² threads exceed the device's largest group.
    /// </exception>
    internal IlgpuKernels(IlgpuDevice device, (int Tile, int Block) tiling)
        : base(device)
    {
        _device = device;
        _accelerator = device.Accelerator;
        _stream = device.Stream;
        (int tile, int block) = tiling;
        if (!IlgpuTiledKernelSet.Supports(block) || tile < block || tile % block != 0)
            throw new ArgumentOutOfRangeException(nameof(tiling), tiling, "The GEMM block must be 1, 2 or 4 and divide the tile.");
        if ((long)(tile / block) * (tile / block) > _accelerator.MaxNumThreadsPerGroup)
            throw new ArgumentOutOfRangeException(
                nameof(tiling), tiling,
                $"A GEMM tile of {tile} in blocks of {block} needs {(tile / block) * (tile / block)} threads in a group; {device.Name} allows {_accelerator.MaxNumThreadsPerGroup}.");
        GemmTile = tile;
        GemmBlock = block;
        _tiled = IlgpuTiledKernelSet.For(block);

        // A power-of-two group (the tree reductions halve it) of at most GroupReduction.MaxGroupSize.
        int limit = Math.Min(GroupReduction.MaxGroupSize, _accelerator.MaxNumThreadsPerGroup);
        RowGroupSize = 1;
        while (RowGroupSize * 2 <= limit)
            RowGroupSize *= 2;
    }

    /// <summary>The side of the block of C a tiled-GEMM group computes.</summary>
    public int GemmTile { get; }

    /// <summary>The side of the block of C each tiled-GEMM thread computes.</summary>
    public int GemmBlock { get; }

    /// <summary>
    /// Whether products without cuBLAS run on the barrier-free <see cref="IlgpuGemmKernels.DirectGemm"/>
    /// rather than the tiled GEMM: on the CPU accelerator's own library, where a group barrier is an
    /// OS-thread barrier. A library built with an explicit tiling (the tiled GEMM's tests) runs the tiled GEMM.
    /// </summary>
    public bool UsesDirectGemm { get; }

    /// <summary>The threads of the group that reduces one row (a power of two).</summary>
    public int RowGroupSize { get; }

    /// <summary>
    /// The tiled GEMM's tiling for <paramref name="device"/>: blocks of 4 and a tile of 64 (256
    /// threads, 8.3 KB of shared memory, as the OpenCL GEMM on a GPU), halved until its threads fit
    /// in a group (16 on the CPU accelerator).
    /// </summary>
    internal static (int Tile, int Block) DefaultGemmTiling(IlgpuDevice device)
    {
        const int block = 4;
        int tile = 64;
        while (tile > block && (tile / block) * (tile / block) > device.Accelerator.MaxNumThreadsPerGroup)
            tile /= 2;
        return (tile, block);
    }

    /// <summary>Releases the library's scratch buffer; the device calls it as it is disposed.</summary>
    internal void Dispose()
    {
        lock (_gate)
        {
            _partials?.Dispose();
            _partials = null;
        }
    }

    private static ArrayView<float> F(DeviceSlice slice) => ((IlgpuBuffer)slice.Buffer).Floats(slice.Offset);

    private static ArrayView<int> I(DeviceSlice slice) => ((IlgpuBuffer)slice.Buffer).Ints(slice.Offset);

    /// <summary>Groups of <see cref="RowGroupSize"/> threads, each reducing a row at a time, grid-stride over <paramref name="rows"/>.</summary>
    private KernelConfig PerRow(int rows) => _device.RowStrideLaunch(rows, RowGroupSize);

    /// <summary>The bounded grid a grid-stride kernel over <paramref name="items"/> items is launched with (<see cref="IlgpuGridStride"/>).</summary>
    private KernelConfig GridStride(long items) => _device.GridStrideLaunch(items);
}
