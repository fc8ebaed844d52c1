using Dsl.Kernels;

namespace Dsl;

public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    protected override void GemmCore(bool transA, bool transB, int m, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice c) =>
        BatchedGemmCore(transA, transB, 1, 1, m, n, k, a, 0, 0, b, 0, 0, c);

    /// <inheritdoc/>
    /// <remarks>One work-group per GemmTile × GemmTile block of each C, the product as the third NDRange dimension.</remarks>
    protected override void BatchedGemmCore(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c)
    {
        string name = (transA, transB) switch
        {
            (false, false) => "matmul_nn",
            (false, true) => "matmul_nt",
            (true, false) => "matmul_tn",
            (true, true) => "matmul_tt",
        };
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, m);
            kernel.SetArg(i++, n);
            kernel.SetArg(i++, k);
            SetSlice(kernel, ref i, a);
            SetSlice(kernel, ref i, b);
            SetSlice(kernel, ref i, c);
            kernel.SetArg(i++, count);
            kernel.SetArg(i++, aBatchStride);
            kernel.SetArg(i++, aStride);
            kernel.SetArg(i++, bBatchStride);
            kernel.SetArg(i++, bStride);
            int items = GemmTile / GemmBlock;
            kernel.Launch(RoundUp(n, GemmTile) / GemmBlock, RoundUp(m, GemmTile) / GemmBlock, batch * count, items, items, 1);
        }
    }

    /// <inheritdoc/>
    protected override void SoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("softmax_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void LogSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("log_softmax_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void CausalSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("causal_softmax_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void SumRowsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("sum_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    /// <remarks>One work-item per column.</remarks>
    protected override void SumColumnsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("sum_columns", rows, cols, x, y, cols);

    /// <inheritdoc/>
    protected override void ExpandLastCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("expand_last_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void TileCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("tile_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void CrossEntropyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice loss) =>
        RunLabelRows("cross_entropy_rows", rows, cols, logits, labels, loss);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, float weight, DeviceSlice dx) =>
        // The kernel reads weights only per row; dx stands in for the unread weights buffer.
        RunCrossEntropyGrad(rows, cols, logits, labels, dx, perRow: false, weight, dx);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, DeviceSlice dx) =>
        RunCrossEntropyGrad(rows, cols, logits, labels, weights, perRow: true, 0f, dx);

    /// <inheritdoc/>
    protected override void AccuracyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice correct) =>
        RunLabelRows("accuracy_rows", rows, cols, logits, labels, correct);

    /// <inheritdoc/>
    protected override void OneHotCore(int rows, int cols, DeviceSlice labels, DeviceSlice y) => RunRows("one_hot_rows", rows, cols, labels, y, rows);

    /// <inheritdoc/>
    protected override void ArgMaxCore(int rows, int cols, DeviceSlice x, DeviceSlice index) => RunRows("arg_max_rows", rows, cols, x, index, rows);

    /// <inheritdoc/>
    protected override void ArgMaxMaskCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => RunRows("arg_max_mask_rows", rows, cols, x, y, rows);

    /// <inheritdoc/>
    protected override void GatherLastCore(int rows, int n, int k, DeviceSlice x, DeviceSlice index, DeviceSlice y) =>
        RunIndexedRows("gather_last_rows", rows, n, k, x, index, y);

    /// <inheritdoc/>
    protected override void ScatterLastCore(int rows, int n, int k, DeviceSlice index, DeviceSlice g, DeviceSlice y) =>
        RunIndexedRows("scatter_last_rows", rows, n, k, index, g, y);

    /// <summary>Runs a kernel of (rows, n, k, a, ao, b, bo, y, yo), one work-item per row.</summary>
    private void RunIndexedRows(string name, int rows, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, n);
            kernel.SetArg(i++, k);
            SetSlice(kernel, ref i, a);
            SetSlice(kernel, ref i, b);
            SetSlice(kernel, ref i, y);
            Launch(kernel, rows);
        }
    }

    /// <inheritdoc/>
    protected override void SwapAxesCore(int outer, int a, int middle, int b, int inner, DeviceSlice x, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["swap_axes"];
            int i = 0;
            kernel.SetArg(i++, outer);
            kernel.SetArg(i++, a);
            kernel.SetArg(i++, middle);
            kernel.SetArg(i++, b);
            kernel.SetArg(i++, inner);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, (long)outer * a * middle * b * inner);
        }
    }

    /// <inheritdoc/>
    protected override void CopyBlocksCore(
        int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset,
        DeviceSlice x, DeviceSlice y)
    {
        if (blocks == 0)
            return; // sourceBlocks may be 0, and the kernel divides by it
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["copy_blocks"];
            int i = 0;
            kernel.SetArg(i++, blocks);
            kernel.SetArg(i++, sourceBlocks);
            kernel.SetArg(i++, width);
            kernel.SetArg(i++, sourceStride);
            kernel.SetArg(i++, sourceOffset);
            kernel.SetArg(i++, destinationStride);
            kernel.SetArg(i++, destinationOffset);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, (long)blocks * width);
        }
    }

    /// <inheritdoc/>
    protected override void CausalMaskCore(int n, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["causal_mask"];
            int i = 0;
            kernel.SetArg(i++, n);
            SetSlice(kernel, ref i, y);
            Launch(kernel, (long)n * n);
        }
    }

    /// <inheritdoc/>
    protected override void SplitHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y) =>
        RunHeads("split_heads", batch, length, heads, headWidth, part, parts, x, y, rowsItems: false);

    /// <inheritdoc/>
    /// <remarks>Work-items past the heads' elements write the zeros of the rows' other parts.</remarks>
    protected override void MergeHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y) =>
        RunHeads("merge_heads", batch, length, heads, headWidth, part, parts, x, y, rowsItems: true);

    /// <inheritdoc/>
    protected override void GatherCore(int rows, int cols, int count, DeviceSlice table, DeviceSlice ids, DeviceSlice y) =>
        RunLabelRows("gather_rows", rows, cols, table, ids, y);

    /// <inheritdoc/>
    /// <remarks>One work-item per column of the table: no two write one element, so no atomics, and the sums run in the CPU's row order.</remarks>
    protected override void ScatterAddCore(int rows, int cols, int count, DeviceSlice ids, DeviceSlice x, DeviceSlice table)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["scatter_add_rows"];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            kernel.SetArg(i++, count);
            SetSlice(kernel, ref i, ids);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, table);
            Launch(kernel, cols);
        }
    }

    /// <inheritdoc/>
    protected override void LayerNormCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y) =>
        RunNormRows("layer_norm_rows", rows, cols, epsilon, x, y);

    /// <inheritdoc/>
    protected override void LayerNormInverseDeviationCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice inverse) =>
        RunNormRows("layer_norm_scale_rows", rows, cols, epsilon, x, inverse);

    /// <inheritdoc/>
    protected override void LayerNormBackwardCore(int rows, int cols, DeviceSlice normalised, DeviceSlice scale, DeviceSlice g, DeviceSlice dx)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["layer_norm_backward_rows"];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            SetSlice(kernel, ref i, normalised);
            SetSlice(kernel, ref i, scale);
            SetSlice(kernel, ref i, g);
            SetSlice(kernel, ref i, dx);
            Launch(kernel, rows);
        }
    }

    /// <inheritdoc/>
    protected override void DropoutCore(int count, ulong seed, uint site, uint step, ulong start, float p, DeviceSlice x, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["dropout"];
            int i = 0;
            kernel.SetArg(i++, count);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            // The kernel's uint arguments, passed by their bit patterns.
            kernel.SetArg(i++, unchecked((int)(uint)seed));
            kernel.SetArg(i++, unchecked((int)(uint)(seed >> 32)));
            kernel.SetArg(i++, unchecked((int)site));
            kernel.SetArg(i++, unchecked((int)step));
            kernel.SetArg(i++, unchecked((int)(uint)start));
            kernel.SetArg(i++, unchecked((int)(uint)(start >> 32)));
            kernel.SetArg(i++, unchecked((int)DropoutKernels.Threshold(p)));
            kernel.SetArg(i++, DropoutKernels.Scale(p));
            Launch(kernel, count);
        }
    }

    private static int RoundUp(int count, int multiple) => (count + multiple - 1) / multiple * multiple;

    private void RunCrossEntropyGrad(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, bool perRow, float weight, DeviceSlice dx)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["cross_entropy_grad_rows"];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            SetSlice(kernel, ref i, logits);
            SetSlice(kernel, ref i, labels);
            SetSlice(kernel, ref i, weights);
            kernel.SetArg(i++, perRow ? 1 : 0);
            kernel.SetArg(i++, weight);
            SetSlice(kernel, ref i, dx);
            Launch(kernel, rows);
        }
    }

    private void RunHeads(string name, int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y, bool rowsItems)
    {
        long total = (long)batch * heads * length * headWidth;
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, length);
            kernel.SetArg(i++, heads);
            kernel.SetArg(i++, headWidth);
            kernel.SetArg(i++, part);
            kernel.SetArg(i++, parts);
            kernel.SetArg(i++, checked((int)total));
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, rowsItems ? total * parts : total);
        }
    }

    private void RunNormRows(string name, int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, rows);
            kernel.SetArg(i++, cols);
            kernel.SetArg(i++, epsilon);
            SetSlice(kernel, ref i, x);
            SetSlice(kernel, ref i, y);
            Launch(kernel, rows);
        }
    }
}
