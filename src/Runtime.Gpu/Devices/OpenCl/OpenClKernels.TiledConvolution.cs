namespace Dsl;

// Issues 17/19: the launches of convolution_tiled.cl, the fused convolution and its
// gradients as implicit GEMMs with the GEMM's tiling (TiledConvolution holds the split both device
// libraries share).
public sealed partial class OpenClKernels
{
    /// <summary>
    /// Whether the fused convolutions run the direct sums of <c>convolution_fused.cl</c> rather than the
    /// tiled kernels: set by the tests that check the direct kernels, which are otherwise the fallback
    /// of a device whose work-group limit for a tiled kernel is below the tile's columns of work-items.
    /// </summary>
    internal bool UsesDirectConvolution { get; init; }

    /// <summary>Runs <c>conv_tiled_forward</c> (rows: output channels; columns: the batch's positions); false where it does not fit.</summary>
    private bool TiledForward(int batch, int[] geometry, DeviceSlice x, DeviceSlice weight, DeviceSlice y)
    {
        int outChannels = geometry[13], positions = geometry[11] * geometry[12];
        return RunTiledConvolution("conv_tiled_forward", outChannels, (long)batch * positions, 1, [.. geometry, batch], x, weight, y);
    }

    /// <summary>Runs <c>conv_tiled_input_grad</c> (rows: input channels; columns: the batch's pixels); false where it does not fit.</summary>
    private bool TiledInputGrad(int batch, int[] geometry, DeviceSlice dy, DeviceSlice weight, DeviceSlice dx)
    {
        int channels = geometry[0], pixels = geometry[1] * geometry[2];
        return RunTiledConvolution("conv_tiled_input_grad", channels, (long)batch * pixels, 1, [.. geometry, batch], dy, weight, dx);
    }

    /// <summary>
    /// Runs <c>conv_tiled_weight_grad</c> (rows: output channels; columns: taps; k: the batch's
    /// positions, in slices) into the library's partials, then <c>conv_sum_slices</c> into
    /// <paramref name="dw"/>; straight into <paramref name="dw"/> with one slice. False where it does not fit.
    /// </summary>
    private bool TiledWeightGrad(int batch, int[] geometry, DeviceSlice dy, DeviceSlice x, DeviceSlice dw)
    {
        int outChannels = geometry[13], taps = geometry[0] * geometry[3] * geometry[4];
        (int slices, int span) = TiledConvolution.WeightGradSlices(checked(batch * geometry[11] * geometry[12]));
        if (slices == 1)
            return RunTiledConvolution("conv_tiled_weight_grad", outChannels, taps, 1, [.. geometry, batch, span], dy, x, dw);

        int total = outChannels * taps;
        lock (_gate)
        {
            if (_partials is null || _partials.Count < (long)slices * total)
            {
                // The in-order queue runs every earlier kernel on the old buffer before its next owner's writes.
                _partials?.Dispose();
                _partials = _device.AllocateFloats(slices * total, "reduction partial sums of " + ProgramName);
            }

            if (!RunTiledConvolution("conv_tiled_weight_grad", outChannels, taps, slices, [.. geometry, batch, span], dy, x, _partials.Slice(0)))
                return false;
            OpenClKernel sum = _kernels["conv_sum_slices"];
            int i = 0;
            sum.SetArg(i++, total);
            sum.SetArg(i++, slices);
            sum.SetArg(i++, _partials);
            SetSlice(sum, ref i, dw);
            Launch(sum, total);
            return true;
        }
    }

    /// <summary>
    /// Launches a tiled kernel of (the ints, two operands, result) over <paramref name="rows"/> ×
    /// <paramref name="columns"/> outputs in <paramref name="slices"/> slices: groups of (tile / block)
    /// × rowItems work-items; false (nothing launched) where the direct kernels are asked for or the
    /// kernel's work-group limit does not hold one row of the group's columns.
    /// </summary>
    private bool RunTiledConvolution(string name, int rows, long columns, int slices, int[] ints, DeviceSlice first, DeviceSlice second, DeviceSlice result)
    {
        if (UsesDirectConvolution)
            return false;
        OpenClKernel kernel = _kernels[name];
        int rowItems = TiledConvolution.RowItems(rows, GemmTile, GemmBlock, kernel.WorkGroupSize);
        if (rowItems == 0)
            return false;
        int columnItems = GemmTile / GemmBlock;
        long columnTiles = (columns + GemmTile - 1) / GemmTile, rowTiles = (rows + (rowItems * GemmBlock) - 1) / (rowItems * GemmBlock);
        lock (_gate)
        {
            int i = 0;
            foreach (int value in ints)
                kernel.SetArg(i++, value);
            SetSlice(kernel, ref i, first);
            SetSlice(kernel, ref i, second);
            SetSlice(kernel, ref i, result);
            kernel.Launch(checked((int)(columnTiles * columnItems)), checked((int)(rowTiles * rowItems)), slices, columnItems, rowItems, 1);
        }

        return true;
    }
}
