using System.Linq;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Emit.Onnx;

/// <summary>
/// The op table's ONNX rules longer than one operator (as Fusion/KernelRules.cs holds the kernel
/// rules): each adds the opset-17 nodes that compute an IR node and returns its value. Per-example
/// axes move by one where the value is batched (<see cref="OnnxGraphBuilder.Axis"/>).
/// </summary>
internal static partial class OnnxRules
{
    /// <summary>Exact GELU, x·Φ(x) = x·½·(1 + erf(x/√2)): opset 17 has no Gelu (it came in opset 20).</summary>
    public static string Gelu(OnnxGraphBuilder onnx, Node y)
    {
        string x = onnx.Value(y.Inputs[0]);
        string erf = onnx.Op("Erf", onnx.Op("Div", new[] { x, onnx.Scalar(System.Math.Sqrt(2)) }));
        string cdf = onnx.Op("Mul", new[] { onnx.Op("Add", new[] { erf, onnx.Scalar(1) }), onnx.Scalar(0.5) });
        return onnx.Op("Mul", new[] { x, cdf });
    }

    /// <summary>1/√x, as the programs compute it (an IEEE division of a square root).</summary>
    public static string Rsqrt(OnnxGraphBuilder onnx, Node y) =>
        onnx.Op("Div", new[] { onnx.Scalar(1), onnx.Op("Sqrt", onnx.Value(y.Inputs[0])) });

    /// <summary>torch.where's c ≠ 0 ? a : b, written as (c = 0) ? b : a.</summary>
    public static string Where(OnnxGraphBuilder onnx, Node y)
    {
        string isZero = onnx.Op("Equal", new[] { onnx.Aligned(y, 0), onnx.Scalar(0) });
        return onnx.Op("Where", new[] { isZero, onnx.Aligned(y, 2), onnx.Aligned(y, 1) });
    }

    /// <summary>A scalar repeated to the node's shape: lined up, then expanded (numpy-style, so the batch axis stays).</summary>
    public static string Broadcast(OnnxGraphBuilder onnx, Node y) =>
        onnx.Op("Expand", new[] { onnx.Aligned(y, 0), onnx.Int64s(y.Shape.Dimensions.Select(d => (long)d).ToArray()) });

    /// <summary>Two per-example axes swapped.</summary>
    public static string Transpose(OnnxGraphBuilder onnx, Node y)
    {
        long[] perm = Enumerable.Range(0, OnnxGraphBuilder.Rank(y)).Select(i => (long)i).ToArray();
        long a = OnnxGraphBuilder.Axis(y, y.Attributes[0]), b = OnnxGraphBuilder.Axis(y, y.Attributes[1]);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return onnx.Op("Transpose", onnx.Value(y.Inputs[0]), OnnxAttr.IntList("perm", perm));
    }

    public static string Reshape(OnnxGraphBuilder onnx, Node y) =>
        onnx.Op("Reshape", new[] { onnx.Value(y.Inputs[0]), onnx.ShapeOf(y.Shape, y.Batched) });

    /// <summary>Parts joined along an axis; an unbatched part of a batched result repeats over the batch first.</summary>
    public static string Concat(OnnxGraphBuilder onnx, Node y)
    {
        string batchedPart = y.Inputs.Where(i => onnx[i].Batched).Select(onnx.Value).FirstOrDefault() ?? "";
        var parts = y.Inputs.Select(i => y.Batched && !onnx[i].Batched
            ? onnx.ExpandToBatch(onnx.Value(i), onnx[i], batchedPart)
            : onnx.Value(i)).ToList();
        return onnx.Op("Concat", parts, OnnxAttr.Int("axis", OnnxGraphBuilder.Axis(y, y.Attributes[0])));
    }

    /// <summary>x.narrow(axis, start, length).</summary>
    public static string Slice(OnnxGraphBuilder onnx, Node y)
    {
        int axis = y.Attributes[0], start = y.Attributes[1], length = y.Attributes[2];
        return onnx.Op("Slice", new[]
        {
            onnx.Value(y.Inputs[0]), onnx.Int64s(start), onnx.Int64s(start + length), onnx.Int64s(OnnxGraphBuilder.Axis(y, axis)),
        });
    }

    public static string CausalMask(OnnxGraphBuilder onnx, Node y) => onnx.CausalOnes(y.Shape[0]);

    /// <summary>Each element repeated along a new last axis: unsqueezed, then expanded.</summary>
    public static string ExpandLast(OnnxGraphBuilder onnx, Node y)
    {
        string column = onnx.Op("Unsqueeze", new[] { onnx.Value(y.Inputs[0]), onnx.Int64s(-1) });
        return onnx.Op("Expand", new[] { column, onnx.Int64s(y.Shape.Last) });
    }

    /// <summary>A vector [d] repeated over leading axes [L..., d]; a batched one keeps its batch axis in front.</summary>
    public static string Tile(OnnxGraphBuilder onnx, Node y)
    {
        Node x = onnx[y.Inputs[0]];
        string value = onnx.Value(x.Id);
        if (x.Batched)
        {
            var lined = new long[] { 0 }.Concat(Enumerable.Repeat(1L, y.Shape.Rank - 1)).Concat(new long[] { y.Shape.Last }).ToArray();
            value = onnx.Op("Reshape", new[] { value, onnx.Int64s(lined) });
        }
        return onnx.Op("Expand", new[] { value, onnx.Int64s(y.Shape.Dimensions.Select(d => (long)d).ToArray()) });
    }

    /// <summary>
    /// Heads of one part of a fused projection: x [T, parts·H·dh] → its part [T, H·dh] → [T, H, dh]
    /// → [H, T, dh].
    /// </summary>
    public static string SplitHeads(OnnxGraphBuilder onnx, Node y)
    {
        int heads = y.Attributes[0], part = y.Attributes[1];
        int t = y.Shape[1], dh = y.Shape[2], width = heads * dh;
        int last = OnnxGraphBuilder.Rank(onnx[y.Inputs[0]]) - 1; // the input's last axis, where the parts lie side by side
        string sliced = onnx.Op("Slice", new[]
        {
            onnx.Value(y.Inputs[0]), onnx.Int64s(part * width), onnx.Int64s((part + 1) * width), onnx.Int64s(last),
        });
        string split = onnx.Op("Reshape", new[] { sliced, onnx.ShapeOf(Shape.Of(t, heads, dh), y.Batched) });
        return onnx.Op("Transpose", split, OnnxAttr.IntList("perm", y.Batched ? new long[] { 0, 2, 1, 3 } : new long[] { 1, 0, 2 }));
    }

    /// <summary>Heads [H, T, dh] side by side as [T, H·dh], padded with zeros into part <c>part</c> of <c>parts</c>.</summary>
    public static string MergeHeads(OnnxGraphBuilder onnx, Node y)
    {
        Node x = onnx[y.Inputs[0]];
        int part = y.Attributes[0], parts = y.Attributes[1];
        int heads = x.Shape[0], t = x.Shape[1], dh = x.Shape[2], width = heads * dh;
        string moved = onnx.Op("Transpose", onnx.Value(x.Id), OnnxAttr.IntList("perm", y.Batched ? new long[] { 0, 2, 1, 3 } : new long[] { 1, 0, 2 }));
        string merged = onnx.Op("Reshape", new[] { moved, onnx.ShapeOf(Shape.Of(t, width), y.Batched) });
        if (parts == 1)
            return merged;
        int rank = OnnxGraphBuilder.Rank(y);
        long[] pads = new long[2 * rank];
        pads[rank - 1] = part * width;
        pads[2 * rank - 1] = (parts - 1 - part) * (long)width;
        return onnx.Op("Pad", new[] { merged, onnx.Int64s(pads) });
    }

    /// <summary>A sum over the given per-example axes, which leaves them out.</summary>
    public static string ReduceSum(OnnxGraphBuilder onnx, Node y, Node x, long[] axes) =>
        axes.Length == 0
            ? onnx.Value(x.Id)
            : onnx.Op("ReduceSum", new[] { onnx.Value(x.Id), onnx.Int64s(axes) }, OnnxAttr.Int("keepdims", 0));

    /// <summary>y[..., o] = Σ_i W[o, i]·x[..., i]: x·Wᵀ.</summary>
    public static string Linear(OnnxGraphBuilder onnx, Node y)
    {
        string transposed = onnx.Op("Transpose", onnx.Value(y.Inputs[0]), OnnxAttr.IntList("perm", 1, 0));
        return onnx.Op("MatMul", new[] { onnx.Value(y.Inputs[1]), transposed });
    }

    /// <summary>op(A)·op(B) over the leading axes, each transposed operand's last two axes swapped first.</summary>
    public static string MatMul(OnnxGraphBuilder onnx, Node y)
    {
        string Operand(int index)
        {
            Node operand = onnx[y.Inputs[index]];
            string value = onnx.Value(operand.Id);
            return y.Attributes[index] == 0
                ? value
                : onnx.Op("Transpose", value, OnnxAttr.IntList("perm", OnnxGraphBuilder.SwapLastTwo(OnnxGraphBuilder.Rank(operand))));
        }
        return onnx.Op("MatMul", new[] { Operand(0), Operand(1) });
    }

    /// <summary>A softmax of each row over its first i + 1 entries: the rest set to −∞, whose exp is exactly 0.</summary>
    public static string CausalSoftmax(OnnxGraphBuilder onnx, Node y)
    {
        string keep = onnx.Op("Cast", onnx.CausalOnes(y.Shape.Last), OnnxAttr.Int("to", 9)); // TensorProto.BOOL
        string masked = onnx.Op("Where", new[] { keep, onnx.Value(y.Inputs[0]), onnx.Scalar(double.NegativeInfinity) });
        return onnx.Op("Softmax", masked, OnnxAttr.Int("axis", -1));
    }

    /// <summary>
    /// x̂ = (x − mean)/√(var + ε) per row: ONNX's LayerNormalization (opset 17) with a scale of ones,
    /// since the IR applies the layer's weight and bias as separate nodes.
    /// </summary>
    public static string LayerNorm(OnnxGraphBuilder onnx, Node y)
    {
        string ones = onnx.Op("ConstantOfShape", onnx.Int64s(y.Shape.Last), OnnxAttr.Fill(1));
        return onnx.Op("LayerNormalization", new[] { onnx.Value(y.Inputs[0]), ones },
            OnnxAttr.Int("axis", -1), OnnxAttr.Real("epsilon", KernelCallPlanner.LayerNormEpsilon));
    }

    /// <summary>y[t, :] = W[ids[t], :]: ONNX's Gather of the table's rows (int32 ids, as Predict takes them).</summary>
    public static string Gather(OnnxGraphBuilder onnx, Node y) =>
        onnx.Op("Gather", new[] { onnx.Value(y.Inputs[0]), onnx.Value(y.Inputs[1]) }, OnnxAttr.Int("axis", 0));

    /// <summary>1 where x &gt; 0, else 0 (ReLU's derivative mask).</summary>
    public static string Step(OnnxGraphBuilder onnx, Node y) =>
        onnx.Op("Cast", onnx.Op("Greater", new[] { onnx.Value(y.Inputs[0]), onnx.Scalar(0) }), OnnxAttr.Int("to", 1)); // TensorProto.FLOAT

    // ---- Issue 21 (ONNX export of issue 22's axis ops): Max, Min and LogSumExp lower onto
    // ArgMaxMask; ArgMax onto ArgMaxLast; Gather along an axis onto GatherLast. ----

    /// <summary>
    /// The index of each last-axis row's first largest value, as a float: ONNX's ArgMax
    /// (<c>select_last_index = 0</c> picks the first of equal values, as the programs do), cast to float.
    /// </summary>
    public static string ArgMaxLast(OnnxGraphBuilder onnx, Node y)
    {
        string index = onnx.Op("ArgMax", onnx.Value(y.Inputs[0]), OnnxAttr.Int("axis", -1), OnnxAttr.Int("keepdims", 0));
        return onnx.Op("Cast", index, OnnxAttr.Int("to", 1)); // TensorProto.FLOAT
    }

    /// <summary>
    /// 1 at each last-axis row's first largest value, 0 elsewhere: the row's ArgMax (kept as an axis of
    /// length 1) compared with the positions 0..n−1, which broadcast against it, cast to float.
    /// </summary>
    public static string ArgMaxMask(OnnxGraphBuilder onnx, Node y)
    {
        int n = y.Shape.Last;
        string index = onnx.Op("ArgMax", onnx.Value(y.Inputs[0]), OnnxAttr.Int("axis", -1), OnnxAttr.Int("keepdims", 1));
        string positions = onnx.Int64s(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        return onnx.Op("Cast", onnx.Op("Equal", new[] { index, positions }), OnnxAttr.Int("to", 1)); // TensorProto.FLOAT
    }

    /// <summary>
    /// y[..., j] = x[..., index[..., j]]: ONNX's GatherElements along the last axis, the float indices
    /// cast to int64 (which rounds toward zero, as the programs read them). Both operands have the
    /// same batching (the lowering requires it), so they have the same rank.
    /// </summary>
    public static string GatherLast(OnnxGraphBuilder onnx, Node y)
    {
        string index = onnx.Op("Cast", onnx.Value(y.Inputs[1]), OnnxAttr.Int("to", 7)); // TensorProto.INT64
        return onnx.Op("GatherElements", new[] { onnx.Value(y.Inputs[0]), index }, OnnxAttr.Int("axis", -1));
    }

    // ---- Issue 19 (onnxconv): BatchNorm without running statistics normalises with the batch's in Predict. ----

    /// <summary>
    /// x / (B·k + c), B the batch size: the first input's leading axis at run time (Shape → Cast to
    /// float), as the programs read it; k and c are the node's attributes.
    /// </summary>
    public static string BatchCountScale(OnnxGraphBuilder onnx, Node y)
    {
        string batch = onnx.Op("Cast", onnx.BatchSize(), OnnxAttr.Int("to", 1)); // TensorProto.FLOAT
        string count = onnx.Op("Add", new[] { onnx.Op("Mul", new[] { batch, onnx.Scalar(y.Attributes[0]) }), onnx.Scalar(y.Attributes[1]) });
        return onnx.Op("Div", new[] { onnx.Aligned(y, 0), count });
    }
}
