using System;
using Dsl.Kernels;

namespace Dsl;

/// <summary>
/// The CPU's kernel library: each core calls the runtime's static span kernels
/// (<see cref="Dsl.Kernels.Gemm"/>, <see cref="Rows"/>, <see cref="Sequences"/>, <see cref="Movement"/>,
/// <see cref="LayerNormKernels"/>, <see cref="DropoutKernels"/>) on the slices' arrays. A compiled
/// CPU program calls those statics directly; this library is the oracle every other backend's
/// kernels are tested against.
/// </summary>
public sealed partial class CpuKernels : DeviceKernels
{
    internal static readonly CpuKernels Instance = new();

    private CpuKernels()
        : base(CpuDevice.Instance)
    {
    }

    /// <summary>The floats of <paramref name="slice"/> from its offset to the buffer's end.</summary>
    private static Span<float> F(DeviceSlice slice) => ((CpuBuffer)slice.Buffer).Floats.AsSpan(slice.Offset);

    /// <summary>The ints of <paramref name="slice"/> from its offset to the buffer's end.</summary>
    private static Span<int> I(DeviceSlice slice) => ((CpuBuffer)slice.Buffer).Ints.AsSpan(slice.Offset);

    /// <inheritdoc/>
    protected override void GemmCore(bool transA, bool transB, int m, int n, int k, DeviceSlice a, DeviceSlice b, DeviceSlice c) =>
        Dsl.Kernels.Gemm.Multiply(transA, transB, m, n, k, F(a), F(b), F(c));

    /// <inheritdoc/>
    protected override void BatchedGemmCore(
        bool transA, bool transB, int batch, int count, int m, int n, int k,
        DeviceSlice a, int aBatchStride, int aStride, DeviceSlice b, int bBatchStride, int bStride, DeviceSlice c) =>
        Dsl.Kernels.Gemm.MultiplyBatched(transA, transB, batch, count, m, n, k, F(a), aBatchStride, aStride, F(b), bBatchStride, bStride, F(c));

    /// <inheritdoc/>
    protected override void SoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.Softmax(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void LogSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.LogSoftmax(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void CausalSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.CausalSoftmax(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void SumRowsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.Sum(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void SumColumnsCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.ColumnSum(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void ExpandLastCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Sequences.ExpandLast(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void TileCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Sequences.Tile(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void CrossEntropyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice loss) =>
        Rows.CrossEntropy(F(logits), I(labels), F(loss), rows, cols);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, float weight, DeviceSlice dx) =>
        Rows.CrossEntropyBackward(F(logits), I(labels), weight, F(dx), rows, cols);

    /// <inheritdoc/>
    protected override void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, DeviceSlice dx) =>
        Rows.CrossEntropyBackward(F(logits), I(labels), F(weights), F(dx), rows, cols);

    /// <inheritdoc/>
    protected override void AccuracyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice correct) =>
        Rows.Accuracy(F(logits), I(labels), F(correct), rows, cols);

    /// <inheritdoc/>
    protected override void OneHotCore(int rows, int cols, DeviceSlice labels, DeviceSlice y) => Rows.OneHot(I(labels), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void ArgMaxCore(int rows, int cols, DeviceSlice x, DeviceSlice index) => Rows.ArgMax(F(x), F(index), rows, cols);

    /// <inheritdoc/>
    protected override void ArgMaxMaskCore(int rows, int cols, DeviceSlice x, DeviceSlice y) => Rows.ArgMaxMask(F(x), F(y), rows, cols);

    /// <inheritdoc/>
    protected override void GatherLastCore(int rows, int n, int k, DeviceSlice x, DeviceSlice index, DeviceSlice y) =>
        Rows.GatherLast(F(x), F(index), F(y), rows, n, k);

    /// <inheritdoc/>
    protected override void ScatterLastCore(int rows, int n, int k, DeviceSlice index, DeviceSlice g, DeviceSlice y) =>
        Rows.ScatterLast(F(index), F(g), F(y), rows, n, k);

    /// <inheritdoc/>
    protected override void SwapAxesCore(int outer, int a, int middle, int b, int inner, DeviceSlice x, DeviceSlice y) =>
        Movement.SwapAxes(F(x), F(y), outer, a, middle, b, inner);

    /// <inheritdoc/>
    protected override void CopyBlocksCore(
        int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset,
        DeviceSlice x, DeviceSlice y) =>
        Movement.CopyBlocks(F(x), F(y), blocks, sourceBlocks, width, sourceStride, sourceOffset, destinationStride, destinationOffset);

    /// <inheritdoc/>
    protected override void CausalMaskCore(int n, DeviceSlice y) => Movement.CausalMask(F(y), n);

    /// <inheritdoc/>
    protected override void SplitHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y) =>
        Sequences.SplitHeads(F(x), F(y), batch, length, heads, headWidth, part, parts);

    /// <inheritdoc/>
    protected override void MergeHeadsCore(int batch, int length, int heads, int headWidth, int part, int parts, DeviceSlice x, DeviceSlice y) =>
        Sequences.MergeHeads(F(x), F(y), batch, length, heads, headWidth, part, parts);

    /// <inheritdoc/>
    protected override void GatherCore(int rows, int cols, int count, DeviceSlice table, DeviceSlice ids, DeviceSlice y) =>
        Sequences.Gather(F(table), I(ids), F(y), rows, cols, count);

    /// <inheritdoc/>
    protected override void ScatterAddCore(int rows, int cols, int count, DeviceSlice ids, DeviceSlice x, DeviceSlice table) =>
        Sequences.ScatterAdd(I(ids), F(x), F(table), rows, cols, count);

    /// <inheritdoc/>
    protected override void LayerNormCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y) =>
        LayerNormKernels.Normalize(F(x), F(y), rows, cols, epsilon);

    /// <inheritdoc/>
    protected override void LayerNormInverseDeviationCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice inverse) =>
        LayerNormKernels.InverseDeviation(F(x), F(inverse), rows, cols, epsilon);

    /// <inheritdoc/>
    protected override void LayerNormBackwardCore(int rows, int cols, DeviceSlice normalised, DeviceSlice scale, DeviceSlice g, DeviceSlice dx) =>
        LayerNormKernels.Backward(F(normalised), F(scale), F(g), F(dx), rows, cols);

    /// <inheritdoc/>
    protected override void DropoutCore(int count, ulong seed, uint site, uint step, ulong start, float p, DeviceSlice x, DeviceSlice y) =>
        DropoutKernels.Apply(F(x), F(y), count, seed, site, step, start, p);
}
