using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issues 17/19: the launches of IlgpuTiledConvolutionKernels, the fused convolution
// and its gradients as implicit GEMMs with the GEMM's tiling (the split TiledConvolution holds is the
// OpenCL library's too).
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution>?
        _tiledConvolutionForward, _tiledConvolutionInputGrad, _tiledConvolutionWeightGrad;

    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int>? _convolutionSumSlices;

    /// <summary>
    /// Whether the fused convolutions run the direct sums of <see cref="IlgpuFusedConvolutionKernels"/>
    /// rather than the tiled kernels: on the CPU accelerator's own library, where a group barrier is an
    /// OS-thread barrier (as <see cref="UsesDirectGemm"/>), and wherever the GEMM's tile exceeds
    /// <see cref="IlgpuTiledConvolutionKernels.MaxTile"/>. A library built with an explicit tiling
    /// runs the tiled kernels unless the tests ask otherwise.
    /// </summary>
    internal bool UsesDirectConvolution
    {
        get => _usesDirectConvolution || GemmTile > IlgpuTiledConvolutionKernels.MaxTile;
        init => _usesDirectConvolution = value;
    }

    private readonly bool _usesDirectConvolution;

    /// <summary>Runs <see cref="IlgpuTiledConvolutionKernels.Forward{TBlock}"/> (rows: output channels; columns: the batch's positions) unless <see cref="UsesDirectConvolution"/>.</summary>
    private bool TiledForward(int batch, int outChannels, IlgpuConvolutionShape shape, DeviceSlice x, DeviceSlice weight, DeviceSlice y) =>
        RunTiledConvolution(ref _tiledConvolutionForward, _tiled.ConvolutionForward, outChannels, (long)batch * shape.Oh * shape.Ow, 1,
            shape, new IlgpuTiledConvolution(outChannels, batch, GemmTile, 0, 0, 0), F(x), F(weight), F(y));

    /// <summary>Runs <see cref="IlgpuTiledConvolutionKernels.InputGrad{TBlock}"/> (rows: input channels; columns: the batch's pixels) unless <see cref="UsesDirectConvolution"/>.</summary>
    private bool TiledInputGrad(int batch, int outChannels, IlgpuConvolutionShape shape, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx) =>
        RunTiledConvolution(ref _tiledConvolutionInputGrad, _tiled.ConvolutionInputGrad, shape.C, (long)batch * shape.H * shape.W, 1,
            shape, new IlgpuTiledConvolution(outChannels, batch, GemmTile, 0, 0, 0), F(dy), F(weight), F(dx));

    /// <summary>
    /// Runs <see cref="IlgpuTiledConvolutionKernels.WeightGrad{TBlock}"/> (rows: output channels; columns:
    /// taps; k: the batch's positions, in slices) into the library's partials, then
    /// <see cref="IlgpuTiledConvolutionKernels.SumSlices"/> into <paramref name="dw"/>; straight into
    /// <paramref name="dw"/> with one slice. False (nothing launched) where <see cref="UsesDirectConvolution"/>.
    /// </summary>
    private bool TiledWeightGrad(int batch, int outChannels, IlgpuConvolutionShape shape, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        if (UsesDirectConvolution)
            return false;
        (int slices, int span) = TiledConvolution.WeightGradSlices(checked(batch * shape.Oh * shape.Ow));
        var sizes = new IlgpuTiledConvolution(outChannels, batch, GemmTile, span, 0, 0);
        if (slices == 1)
            return RunTiledConvolution(ref _tiledConvolutionWeightGrad, _tiled.ConvolutionWeightGrad, outChannels, shape.RowWidth, 1, shape, sizes, F(dy), F(x), F(dw));

        int total = outChannels * shape.RowWidth;
        lock (_gate)
        {
            if (_partials is null || _partials.Length < (long)slices * total)
            {
                // The stream runs every earlier kernel on the old buffer before the new one's writes.
                _partials?.Dispose();
                _partials = _device.AllocateFloats(slices * total, "reduction partial sums of the ILGPU kernels");
            }

            ArrayView<float> partials = _partials.Floats(0);
            RunTiledConvolution(ref _tiledConvolutionWeightGrad, _tiled.ConvolutionWeightGrad, outChannels, shape.RowWidth, slices, shape, sizes, F(dy), F(x), partials);
            PerItem(total, ref _convolutionSumSlices, IlgpuTiledConvolutionKernels.SumSlices, GridStride(total), total, partials, F(dw), slices);
        }

        return true;
    }

    /// <summary>
    /// Launches a tiled kernel over <paramref name="rows"/> × <paramref name="columns"/> outputs in
    /// <paramref name="slices"/> slices: groups of (tile / block) × rowItems threads on a bounded grid,
    /// taking the blocks in turn; false (nothing launched) where <see cref="UsesDirectConvolution"/>.
    /// </summary>
    private bool RunTiledConvolution(
        ref Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution>? launcher,
        Action<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution> kernel,
        int rows, long columns, int slices, IlgpuConvolutionShape shape, IlgpuTiledConvolution sizes, ArrayView<float> first, ArrayView<float> second, ArrayView<float> result)
    {
        if (UsesDirectConvolution)
            return false;
        int columnItems = GemmTile / GemmBlock;
        int rowItems = TiledConvolution.RowItems(rows, GemmTile, GemmBlock, _accelerator.MaxNumThreadsPerGroup);
        int rowTiles = (rows + (rowItems * GemmBlock) - 1) / (rowItems * GemmBlock);
        int columnTiles = checked((int)((columns + GemmTile - 1) / GemmTile));
        int blocks = checked(rowTiles * columnTiles * slices);
        var config = new KernelConfig(
            new Index3D((int)Math.Clamp(blocks, 1L, _device.ResidentGroups(columnItems * rowItems)), 1, 1),
            new Index3D(columnItems, rowItems, 1));
        PerItem(blocks, ref launcher, kernel, config, blocks, first, second, result, shape, sizes with { RowTiles = rowTiles, ColumnTiles = columnTiles });
        return true;
    }
}
