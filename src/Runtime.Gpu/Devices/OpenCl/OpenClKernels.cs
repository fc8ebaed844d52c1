using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl;

/// <summary>
/// An <see cref="OpenClDevice"/>'s kernel library: the runtime's embedded <c>.cl</c> sources, built
/// once per device (<see cref="Device.Kernels"/>), with the GEMM tiling chosen from the device.
/// Results match <see cref="CpuKernels"/> bit for bit where the kernels only move floats or use the
/// CPU's order of operations (movement, gathers, dropout, and the optimizer updates where the device
/// divides and takes square roots correctly rounded, as it is built to where it can) and within
/// float rounding elsewhere (GEMM and the reductions sum in another order; exp and log are the device's).
/// </summary>
/// <remarks>
/// Calls are enqueued on the device's in-order queue and return at once; a buffer's
/// <see cref="OpenClBuffer.Read(Span{float}, int)"/> waits for them. Calls from several threads are
/// serialised (a kernel's arguments are set, then it is launched, under one lock).
/// </remarks>
public sealed partial class OpenClKernels : DeviceKernels
{
    /// <summary>The library program's name in build errors.</summary>
    public const string ProgramName = "Dsl.OpenClKernels";

    /// <summary>Elements each work-item of a reduction's first stage adds up.</summary>
    private const int ItemsPerWorkItem = 16;

    /// <summary>Work-items per group of the one-dimensional kernels (the global size is rounded up to it).</summary>
    private const int RowGroup = 64;

    private readonly OpenClDevice _device;
    private readonly Dictionary<string, OpenClKernel> _kernels = new();
    private readonly object _gate = new();
    private readonly int _reductionGroup;
    private OpenClBuffer? _partials;

    /// <summary>Builds the library for <paramref name="device"/> with its tiling (<see cref="DeviceGemmTiling"/>); <see cref="OpenClDevice.Kernels"/> calls it once.</summary>
    internal OpenClKernels(OpenClDevice device)
        : this(device, DeviceGemmTiling(device))
    {
    }

    /// <summary>
    /// Builds the library for <paramref name="device"/> with an explicit GEMM tiling, so that the
    /// tests can run the GEMM at every tiling some device would get, not only this one's.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="tiling">The side of a work-group's block of C (-DTILE) and of a work-item's (-DBLOCK).</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The block is not positive or does not divide the tile, or the tile's (tile / block)² work-items
    /// exceed the device's largest work-group.
    /// </exception>
    internal OpenClKernels(OpenClDevice device, (int Tile, int Block) tiling)
        : base(device)
    {
        _device = device;
        (int tile, int block) = tiling;
        if (block < 1 || tile < block || tile % block != 0)
            throw new ArgumentOutOfRangeException(nameof(tiling), tiling, "The GEMM block must be positive and divide the tile.");
        if ((long)(tile / block) * (tile / block) > device.MaxWorkGroupSize)
            throw new ArgumentOutOfRangeException(
                nameof(tiling), tiling, $"A GEMM tile of {tile} in blocks of {block} needs {(tile / block) * (tile / block)} work-items in a group; {device.Name} allows {device.MaxWorkGroupSize}.");
        GemmTile = tile;
        GemmBlock = block;

        string source = string.Join("\n\n",
            OpenClSources.Philox, OpenClSources.Dropout, OpenClSources.Gemm, OpenClSources.Rows, OpenClSources.Heads,
            OpenClSources.Movement, OpenClSources.Normalization, OpenClSources.Vectors, OpenClSources.Convolution,
            OpenClSources.FusedConvolution,
            OpenClSources.TiledConvolution,
            OpenClSources.Pooling,
            OpenClSources.Attention);
        OpenClProgram library = device.GetProgram(source, ProgramName, $"-DTILE={GemmTile} -DBLOCK={GemmBlock}");
        OpenClProgram optimizer = device.GetProgram(OpenClOptimizerKernels.Source, OpenClOptimizerKernels.ProgramName);
        try
        {
            foreach (string name in LibraryKernelNames.Concat(PoolingKernelNames).Concat(AttentionKernelNames))
                _kernels.Add(name, library.CreateKernel(name));
            foreach (string name in OptimizerKernelNames)
                _kernels.Add(name, optimizer.CreateKernel(name));
        }
        catch
        {
            foreach (var kernel in _kernels.Values)
                kernel.Dispose();
            throw;
        }

        // A power-of-two work-group (the tree reduction halves it) that fits the kernel, at most 256.
        int limit = Math.Min(256, Math.Min(device.MaxWorkGroupSize, _kernels["group_sums"].WorkGroupSize));
        _reductionGroup = 1;
        while (_reductionGroup * 2 <= limit)
            _reductionGroup *= 2;
    }

    /// <summary>
    /// The GEMM tiling for <paramref name="device"/>: blocks of 4 on a GPU, 8 elsewhere, and a tile of
    /// 64 halved until its work-items fit in a work-group.
    /// </summary>
    internal static (int Tile, int Block) DeviceGemmTiling(OpenClDevice device)
    {
        // A GPU runs a work-group's work-items side by side, and 4 x 4 outputs per work-item keep the
        // registers within bounds; on a CPU a work-group is a loop on one core, and 8 x 8 outputs per
        // work-item ran 1.5-2x faster on PoCL (bench/RESULTS.md). The tile halves until its work-items
        // fit in a work-group; its local tiles (8.3 KB at 64) fit any OpenCL 1.2 device (32 KB).
        int block = device.IsGpu ? 4 : 8;
        int tile = 64;
        while (tile > block && (tile / block) * (tile / block) > device.MaxWorkGroupSize)
            tile /= 2;
        return (tile, block);
    }

    /// <summary>
    /// The helper functions a generated program's fused element-wise kernels call, to put before
    /// them in their source: exact GELU (<c>dsl_gelu</c>, <c>dsl_gelu_derivative</c>, <c>dsl_normal_cdf</c>) and dropout's
    /// Philox keep test (<c>dsl_dropout</c>, the draws of <see cref="DeviceKernels.Dropout"/>).
    /// </summary>
    public static string FusedPrelude { get; } = OpenClSources.Gelu + "\n\n" + OpenClSources.Philox;

    /// <summary>The side of the block of C a GEMM work-group computes (-DTILE).</summary>
    public int GemmTile { get; }

    /// <summary>The side of the block of C each GEMM work-item computes (-DBLOCK).</summary>
    public int GemmBlock { get; }

    private static readonly string[] LibraryKernelNames =
    [
        "matmul_nn", "matmul_nt", "matmul_tn", "matmul_tt",
        "softmax_rows", "log_softmax_rows", "causal_softmax_rows", "sum_rows", "sum_columns", "expand_last_rows", "tile_rows",
        "cross_entropy_rows", "cross_entropy_grad_rows", "accuracy_rows", "one_hot_rows",
        "arg_max_rows", "arg_max_mask_rows", "gather_last_rows", "scatter_last_rows",
        "split_heads", "merge_heads", "swap_axes", "copy_blocks", "causal_mask", "gather_rows", "scatter_add_rows",
        "layer_norm_rows", "layer_norm_scale_rows", "layer_norm_backward_rows",
        "fill", "copy", "scale", "group_sums", "finish_sum", "dropout",
        "im2col", "col2im",
        "conv_forward", "conv_input_grad", "conv_weight_grad",
        // Issues 17/19: the tiled fused convolution.
        "conv_tiled_forward", "conv_tiled_input_grad", "conv_tiled_weight_grad", "conv_sum_slices",
    ];

    private static readonly string[] OptimizerKernelNames = ["sgd_update_slices", "adam_update_slices", "clip_factor"];

    /// <summary>Sets a slice as two arguments, its buffer and its offset.</summary>
    private static void SetSlice(OpenClKernel kernel, ref int index, DeviceSlice slice)
    {
        kernel.SetArg(index++, (OpenClBuffer)slice.Buffer);
        kernel.SetArg(index++, slice.Offset);
    }

    /// <summary>One work-item per item, in groups of <see cref="RowGroup"/> (nothing for no items).</summary>
    private static void Launch(OpenClKernel kernel, long items) =>
        kernel.Launch(checked((int)((items + RowGroup - 1) / RowGroup * RowGroup)));

    /// <summary>Runs a kernel of (rows, cols, x, xo, y, yo) over <paramref name="items"/> work-items.</summary>
    private void RunRows(string name, int rows, int cols, DeviceSlice x, DeviceSlice y, long items)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, items);
        }
    }

    /// <summary>Runs a kernel of (rows, cols, x, xo, labels, lo, y, yo), one work-item per row.</summary>
    private void RunLabelRows(string name, int rows, int cols, DeviceSlice x, DeviceSlice labels, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, labels);
            SetSlice(kernel, ref i, y);
            Launch(kernel, rows);
        }
    }
}
