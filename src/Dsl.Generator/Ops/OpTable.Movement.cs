using System.Linq;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// The movement and axis ops only rearrange or repeat elements, so each is linear and declares its
// transpose once (JAX's deflinear): a transpose is its own; a reshape goes back to the input's
// shape; a slice is padded back with zeros (concatenation's transpose, and Concat, which takes
// many inputs, keeps its own rules in Autodiff/Rules/Movement.cs); repeating along the last axis
// and summing over it, tiling over leading axes and summing over them, splitting heads and merging
// them, are each other's transposes. Attributes are in OpKind's documentation.
internal static partial class OpTable
{
    private static OpDefinition[] Movement() => new[]
    {
        OpDefinition.Linear(OpKind.Transpose, 1, (y, x) => ShapeRules.Transpose(x[0], y.Attributes[0], y.Attributes[1]),
            apply: (g, y, d) => g.Transpose(d, y.Attributes[0], y.Attributes[1]),
            transpose: (g, y, d) => g.Transpose(d, y.Attributes[0], y.Attributes[1]))
            .WithKernel(SwapAxes)
            .ToOnnx(OnnxRules.Transpose),

        OpDefinition.Linear(OpKind.Reshape, 1, (y, x) => ShapeRules.Reshape(x[0], y.Shape),
            apply: (g, y, d) => g.Reshape(d, y.Shape),
            transpose: (g, y, d) => g.Reshape(d, g[y.Inputs[0]].Shape))
            .WithKernel((g, y) => Reshape(y))
            .ToOnnx(OnnxRules.Reshape),

        OpDefinition.Of(OpKind.Concat, OpDefinition.Variadic, (y, x) => ShapeRules.Concat(y.Attributes[0], x), VjpRules.Concat, JvpRules.Concat)
            .WithKernels((g, y) => MovementLayout.Concat(g, y).Select(part => CopyBlocks(y, part)))
            .ToOnnx(OnnxRules.Concat),

        OpDefinition.Linear(OpKind.Slice, 1, (y, x) => ShapeRules.Slice(x[0], y.Attributes[0], y.Attributes[1], y.Attributes[2]),
            apply: (g, y, d) => g.Slice(d, y.Attributes[0], y.Attributes[1], y.Attributes[2]),
            transpose: VjpRules.PadSlice)
            .WithKernel((g, y) => CopyBlocks(y, MovementLayout.Slice(g, y)))
            .ToOnnx(OnnxRules.Slice),

        // A constant the program writes once per step: no inputs, no gradient.
        OpDefinition.Constant(OpKind.CausalMask, 0, (y, x) => ShapeRules.CausalMask(y.Shape[0]), carriesGradient: false)
            .WithKernel((g, y) => Call(KernelId.CausalMask, y, Fixed(y.Shape[0])))
            .ToOnnx(OnnxRules.CausalMask),

        // y[..., j] = x[...]; its transpose sums along the last axis. A fused loop reads its
        // operand at the element's row (the softmax backward's row sums, never written out).
        OpDefinition.Linear(OpKind.ExpandLast, 1, (y, x) => ShapeRules.ExpandLast(x[0], y.Shape.Last),
            apply: (g, y, d) => g.ExpandLast(d, y.Shape.Last),
            transpose: (g, y, d) => g.SumLast(d))
            .Rendered(a => a[0], a => a[0], a => a[0], roundsAlike: true)
            .WithKernel((g, y) => Call(KernelId.ExpandLast, y, RowsOf(y), Fixed(y.Shape.Last)))
            .ToOnnx(OnnxRules.ExpandLast),

        // y[t, j] = x[j]; its transpose sums over the leading axes (and the batch, when the
        // cotangent varies with it). A fused loop reads its operand at the tiled position.
        OpDefinition.Linear(OpKind.Tile, 1, (y, x) => ShapeRules.Tile(x[0], y.Shape.Leading),
                apply: (g, y, d) => g.Tile(d, y.Shape.Leading),
                transpose: (g, y, d) => g.SumLeading(g[d].Batched ? g.BatchSum(d) : d))
            .Rendered(a => a[0], a => a[0], a => a[0], roundsAlike: true)
            .WithKernel((g, y) => Call(KernelId.Tile, y, RowsOf(y), Fixed(y.Shape.Last)))
            .ToOnnx(OnnxRules.Tile),

        OpDefinition.Linear(OpKind.SplitHeads, 1, (y, x) => ShapeRules.SplitHeads(x[0], y.Attributes[0], y.Attributes[1], y.Attributes[2]),
            apply: (g, y, d) => g.SplitHeads(d, y.Attributes[0], y.Attributes[1], y.Attributes[2]),
            transpose: (g, y, d) => g.MergeHeads(d, y.Attributes[1], y.Attributes[2]))
            .WithKernel(Heads)
            .ToOnnx(OnnxRules.SplitHeads),

        OpDefinition.Linear(OpKind.MergeHeads, 1, (y, x) => ShapeRules.MergeHeads(x[0], y.Attributes[0], y.Attributes[1]),
            apply: (g, y, d) => g.MergeHeads(d, y.Attributes[0], y.Attributes[1]),
            transpose: (g, y, d) => g.SplitHeads(d, g[y.Inputs[0]].Shape[0], y.Attributes[0], y.Attributes[1]))
            .WithKernel(Heads)
            .ToOnnx(OnnxRules.MergeHeads),

        // An embedding's read (linear in the table, input 0) and its transpose, the scatter-add of
        // rows back into the table (linear in the rows, input 1). The ids carry no gradient.
        OpDefinition.Linear(OpKind.Gather, 2, (y, x) => ShapeRules.Gather(x[0], x[1]),
            apply: (g, y, d) => g.Gather(d, y.Inputs[1]),
            transpose: (g, y, d) => g.ScatterAdd(y.Inputs[1], d, g[y.Inputs[0]].Shape[0]))
            .WithKernel(Gather)
            .ToOnnx(OnnxRules.Gather) with { Display = "Embedding" },

        OpDefinition.Linear(OpKind.ScatterAdd, 2, (y, x) => ShapeRules.ScatterAdd(x[0], x[1], y.Shape[0]),
            apply: (g, y, d) => g.ScatterAdd(y.Inputs[0], d, y.Shape[0]),
            transpose: (g, y, d) => g.Gather(d, y.Inputs[0]),
            operand: 1)
            .WithKernel(ScatterAdd),
    };

    // The reductions, each the transpose of a repeat: Sum of Broadcast, SumLast of ExpandLast,
    // SumLeading of Tile, and BatchSum of the implicit repeat over the batch.
    private static OpDefinition[] Reductions() => new[]
    {
        OpDefinition.Linear(OpKind.Sum, 1, (y, x) => ShapeRules.Sum(x[0]),
            apply: (g, y, d) => g.Sum(d),
            transpose: (g, y, d) => g.Broadcast(d, g[y.Inputs[0]].Shape))
            .WithKernel((g, y) => Call(KernelId.SumRows, y, RowsOf(y), Fixed(g[y.Inputs[0]].Shape.Size)))
            .ToOnnx((onnx, y) => OnnxRules.ReduceSum(onnx, y, onnx[y.Inputs[0]], AxesOf(onnx[y.Inputs[0]], 0, onnx[y.Inputs[0]].Shape.Rank))),

        OpDefinition.Linear(OpKind.SumLast, 1, (y, x) => ShapeRules.SumLast(x[0]),
            apply: (g, y, d) => g.SumLast(d),
            transpose: (g, y, d) => g.ExpandLast(d, g[y.Inputs[0]].Shape.Last))
            .WithKernel((g, y) => Call(KernelId.SumRows, y, InputRowsOf(g, y), InputLastOf(g, y)))
            .ToOnnx((onnx, y) => OnnxRules.ReduceSum(onnx, y, onnx[y.Inputs[0]], AxesOf(onnx[y.Inputs[0]], onnx[y.Inputs[0]].Shape.Rank - 1, 1))),

        OpDefinition.Linear(OpKind.SumLeading, 1, (y, x) => ShapeRules.SumLeading(x[0]),
            apply: (g, y, d) => g.SumLeading(d),
            transpose: (g, y, d) => g.Tile(d, g[y.Inputs[0]].Shape.Leading))
            .WithKernel((g, y) => Call(KernelId.SumColumns, y, InputRowsOf(g, y), InputLastOf(g, y)))
            .ToOnnx((onnx, y) => OnnxRules.ReduceSum(onnx, y, onnx[y.Inputs[0]], AxesOf(onnx[y.Inputs[0]], 0, onnx[y.Inputs[0]].Shape.Rank - 1))),

        // An unbatched tangent is already summed; an unbatched value broadcasts over the batch, so
        // the cotangent passes through.
        OpDefinition.Linear(OpKind.BatchSum, 1, (y, x) => ShapeRules.BatchSum(x[0]),
            apply: (g, y, d) => g[d].Batched ? g.BatchSum(d) : d,
            transpose: (g, y, d) => d)
            .WithKernel((g, y) => Call(KernelId.SumColumns, y, KernelSize.PerExample(1), Fixed(g[y.Inputs[0]].Shape.Size)))
            .ToOnnx((onnx, y) => OnnxRules.ReduceSum(onnx, y, onnx[y.Inputs[0]], onnx[y.Inputs[0]].Batched ? new long[] { 0 } : new long[0])),
    };

    /// <summary>The ONNX axes of <paramref name="count"/> per-example axes of <paramref name="x"/> from <paramref name="first"/> on.</summary>
    private static long[] AxesOf(Node x, int first, int count) =>
        Enumerable.Range(first, count).Select(a => OnnxGraphBuilder.Axis(x, a)).ToArray();
}
