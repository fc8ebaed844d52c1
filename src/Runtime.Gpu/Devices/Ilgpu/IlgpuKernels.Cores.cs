using System;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// The row, normalisation and movement kernels: each compiled on its first call (under the
// library's lock), launched on the library's stream (IlgpuKernels.Launches.cs).
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int>? _softmaxRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>? _crossEntropyRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, float>? _crossEntropyGradRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int>? _sumRows, _expandLastRows, _tileRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int>? _sumColumns;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>? _accuracyRows, _gatherRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<int>, ArrayView<float>, int>? _oneHotRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, float, int>? _layerNormRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>? _layerNormBackwardRows;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int, int, int>? _swapAxes;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>? _copyBlocks;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, int>? _causalMask;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int, int, int, int>? _splitHeads;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>? _mergeHeads;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, int>? _scatterAddRows;

    /// <inheritdoc/>
    protected override void SoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => SoftmaxRows(rows, cols, x, y, IlgpuRowKernels.Softmax);

    /// <inheritdoc/>
    protected override void LogSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => SoftmaxRows(rows, cols, x, y, IlgpuRowKernels.LogSoftmax);

    /// <inheritdoc/>
    protected override void CausalSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => SoftmaxRows(rows, cols, x, y, IlgpuRowKernels.CausalSoftmax);

    /// <inheritdoc/>
    protected override void SumRowsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) =>
        PerItem(rows, ref _sumRows, IlgpuRowKernels.SumRows, GridStride(rows), rows, F(x), F(y), cols);

    /// <inheritdoc/>
    protected override void SumColumnsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) =>
        PerItem(cols, ref _sumColumns, IlgpuRowKernels.SumColumns, GridStride(cols), cols, F(x), F(y), rows);

    /// <inheritdoc/>
    protected override void ExpandLastCore(int rows, int cols, DeviceSlice x, DeviceSlice y) =>
        PerItem(rows, ref _expandLastRows, IlgpuRowKernels.ExpandLastRows, GridStride(rows), rows, F(x), F(y), cols);

    /// <inheritdoc/>
    protected override void TileCore(int rows, int cols, DeviceSlice x, DeviceSlice y) =>
        PerItem(rows, ref _tileRows, IlgpuRowKernels.TileRows, GridStride(rows), rows, F(x), F(y), cols);

    /// <inheritdoc/>
    protected override void CrossEntropyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice loss) =>
        PerItem(rows, ref _crossEntropyRows, IlgpuRowKernels.CrossEntropyRows, PerRow(rows), rows, F(logits), I(labels), F(loss), cols);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, float weight, DeviceSlice dx) =>
        // The kernel reads weights only per row; dx stands in for the unread weights buffer.
        CrossEntropyGrad(rows, cols, logits, labels, dx, perRow: false, weight, dx);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, DeviceSlice dx) =>
        CrossEntropyGrad(rows, cols, logits, labels, weights, perRow: true, 0f, dx);

    /// <inheritdoc/>
    protected override void AccuracyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice correct) =>
        PerItem(rows, ref _accuracyRows, IlgpuRowKernels.AccuracyRows, GridStride(rows), rows, F(logits), I(labels), F(correct), cols);

    /// <inheritdoc/>
    protected override void OneHotCore(int rows, int cols, DeviceSlice labels, DeviceSlice y) =>
        PerItem(rows, ref _oneHotRows, IlgpuRowKernels.OneHotRows, GridStride(rows), rows, I(labels), F(y), cols);

    /// <inheritdoc/>
    protected override void SwapAxesCore(int outer, int a, int middle, int b, int inner, DeviceSlice x, DeviceSlice y)
    {
        long total = (long)outer * a * middle * b * inner;
        PerItem(total, ref _swapAxes, IlgpuMovementKernels.SwapAxes, GridStride(total), (int)total, F(x), F(y), a, middle, b, inner);
    }

    /// <inheritdoc/>
    protected override void CopyBlocksCore(
        int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset,
        DeviceSlice x, DeviceSlice y) =>
        // With no blocks sourceBlocks may be 0, which the kernel divides by; PerItem skips the launch.
        PerItem(
            (long)blocks * width, ref _copyBlocks, IlgpuMovementKernels.CopyBlocks, GridStride(blocks * width),
            blocks * width, F(x), F(y), sourceBlocks, width, sourceStride, sourceOffset, destinationStride, destinationOffset);

    /// <inheritdoc/>
    protected override void CausalMaskCore(int n, DeviceSlice y) =>
        PerItem((long)n * n, ref _causalMask, IlgpuMovementKernels.CausalMask, GridStride(n * n), n * n, F(y), n);

    /// <inheritdoc/>
    protected override void SplitHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y)
    {
        long total = (long)batch * heads * length * headWidth;
        PerItem(total, ref _splitHeads, IlgpuMovementKernels.SplitHeads, GridStride((int)total), (int)total, F(x), F(y), length, heads, headWidth, part, parts);
    }

    /// <inheritdoc/>
    /// <remarks>Threads past the heads' elements write the zeros of the rows' other parts.</remarks>
    protected override void MergeHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y)
    {
        long total = (long)batch * heads * length * headWidth;
        int count = checked((int)(total * parts));
        PerItem(count, ref _mergeHeads, IlgpuMovementKernels.MergeHeads, GridStride(count), count, F(x), F(y), length, heads, headWidth, part, parts, (int)total);
    }

    /// <inheritdoc/>
    protected override void GatherCore(int rows, int cols, int count, DeviceSlice table, DeviceSlice ids, DeviceSlice y) =>
        PerItem(rows, ref _gatherRows, IlgpuMovementKernels.GatherRows, GridStride(rows), rows, F(table), I(ids), F(y), cols);

    /// <inheritdoc/>
    /// <remarks>One thread per column of the table: no two write one element, so no atomics, and the sums run in the CPU's row order.</remarks>
    protected override void ScatterAddCore(int rows, int cols, int count, DeviceSlice ids, DeviceSlice x, DeviceSlice table) =>
        PerItem(cols, ref _scatterAddRows, IlgpuMovementKernels.ScatterAddRows, GridStride(cols), cols, I(ids), F(x), F(table), rows, cols, count);

    /// <inheritdoc/>
    protected override void LayerNormCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y) => LayerNormRows(rows, cols, epsilon, x, y, scaleOnly: false);

    /// <inheritdoc/>
    protected override void LayerNormInverseDeviationCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice inverse) =>
        LayerNormRows(rows, cols, epsilon, x, inverse, scaleOnly: true);

    /// <inheritdoc/>
    protected override void LayerNormBackwardCore(int rows, int cols, DeviceSlice normalised, DeviceSlice scale, DeviceSlice g, DeviceSlice dx) =>
        PerItem(rows, ref _layerNormBackwardRows, IlgpuNormalizationKernels.LayerNormBackwardRows, PerRow(rows), rows, F(normalised), F(scale), F(g), F(dx), cols);

    private void SoftmaxRows(int rows, int cols, DeviceSlice x, DeviceSlice y, int mode) =>
        PerItem(rows, ref _softmaxRows, IlgpuRowKernels.SoftmaxRows, PerRow(rows), rows, F(x), F(y), cols, mode);

    private void CrossEntropyGrad(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, bool perRow, float weight, DeviceSlice dx) =>
        PerItem(rows, ref _crossEntropyGradRows, IlgpuRowKernels.CrossEntropyGradRows, PerRow(rows), rows, F(logits), I(labels), F(weights), F(dx), cols, perRow ? 1 : 0, weight);

    private void LayerNormRows(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y, bool scaleOnly) =>
        PerItem(rows, ref _layerNormRows, IlgpuNormalizationKernels.LayerNormRows, PerRow(rows), rows, F(x), F(y), cols, epsilon, scaleOnly ? 1 : 0);
}
