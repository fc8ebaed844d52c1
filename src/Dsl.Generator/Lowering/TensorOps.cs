using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Checking;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Lowering;

/// <summary>
/// The general tensor ops of <c>Dsl.Ops</c> (Transpose, Reshape, Concat, Cat, Stack, Split/Chunk, Mean and
/// Variance over an axis, Where, CausalMask): axes, sizes and flags must be compile-time constants,
/// negative axes count from the end as in torch, and every shape is checked here (DSL0108-DSL0112)
/// before the IR is built. Mean and Variance decompose into movement and SumLast.
/// </summary>
internal static class TensorOps
{
    public static Value? TryLower(GraphBuilder g, string name, IReadOnlyList<Value> args)
    {
        switch (name, args.Count)
        {
            case ("Transpose", 1):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                int rank = g[x].Shape.Rank;
                if (rank < 2)
                    throw new ShapeError(DiagnosticDescriptors.BadRank, "Transpose(x)", "a tensor of rank 2 or more (it swaps the last two axes)", g[x].Shape);
                return new TensorValue(g.Transpose(x, rank - 2, rank - 1));
            }
            case ("Transpose", 3):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                return new TensorValue(g.Transpose(x, Axis(g, args[1], x, name), Axis(g, args[2], x, name)));
            }
            case ("Reshape", >= 2):
                return new TensorValue(Reshape(g, OpLowering.Tensor(args[0], name, 1), args.Skip(1).Select(a => Int(g, a, "dimension", name)).ToArray()));
            case ("Concat", >= 2):
            {
                int[] parts = args.Skip(1).Select((a, i) => OpLowering.Tensor(a, name, i + 2)).ToArray();
                return new TensorValue(g.Concat(Axis(g, args[0], parts[0], name), parts));
            }
            case ("Cat", >= 2):
            {
                // torch.cat(parts, axis): the parts, then the axis (the parser puts every argument in place).
                int[] parts = args.Take(args.Count - 1).Select((a, i) => OpLowering.Tensor(a, name, i + 1)).ToArray();
                return new TensorValue(g.Concat(Axis(g, args[args.Count - 1], parts[0], name), parts));
            }
            case ("Stack", >= 2):
            {
                int[] parts = args.Take(args.Count - 1).Select((a, i) => OpLowering.Tensor(a, name, i + 1)).ToArray();
                return new TensorValue(Stack(g, parts, Int(g, args[args.Count - 1], "axis", name)));
            }
            case ("Gather", 3):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                return new TensorValue(Gather(g, x, Axis(g, args[1], x, name), OpLowering.Tensor(args[2], name, 3)));
            }
            case ("Split", 2 or 3):
            case ("Chunk", 2 or 3):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                int axis = args.Count == 3 ? Axis(g, args[2], x, name) : Axis(0, x, g, name);
                int count = Int(g, args[1], name == "Split" ? "part size" : "chunk count", name);
                if (count < 1)
                    throw new ShapeError(DiagnosticDescriptors.InvalidDimension, count, name);
                int length = g[x].Shape[axis];
                int size = name == "Split" ? count : (length + count - 1) / count;
                var parts = new List<int>();
                for (int start = 0; start < length; start += size)
                    parts.Add(g.Slice(x, axis, start, System.Math.Min(size, length - start)));
                return new PartsValue(parts);
            }
            case ("Mean", 2 or 3):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                return new TensorValue(Mean(g, x, Axis(g, args[1], x, name), args.Count == 3 && Flag(g, args[2], name)));
            }
            case ("Sum", 2 or 3):
            case ("Max", 2 or 3):
            case ("Min", 2 or 3):
            case ("ArgMax", 2 or 3):
            case ("LogSumExp", 2 or 3):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                return new TensorValue(AxisReductions.Reduce(g, name, x, Axis(g, args[1], x, name), args.Count == 3 && Flag(g, args[2], name)));
            }
            case ("Max", 1):
            case ("Min", 1):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                if (g[x].Shape.IsScalar)
                    return new TensorValue(x);
                return new TensorValue(AxisReductions.Reduce(g, name, g.Reshape(x, Shape.Of(g[x].Shape.Size)), 0, keepDim: false));
            }
            case ("Softmax", 2):
            case ("LogSoftmax", 2):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                return new TensorValue(AxisReductions.Normalize(g, name, x, Axis(g, args[1], x, name)));
            }
            case ("Variance", >= 2 and <= 4):
            {
                int x = OpLowering.Tensor(args[0], name, 1);
                bool unbiased = args.Count < 3 || Flag(g, args[2], name);
                return new TensorValue(Variance(g, x, Axis(g, args[1], x, name), unbiased, args.Count == 4 && Flag(g, args[3], name)));
            }
            case ("Where", 3):
                return new TensorValue(Where(g, OpLowering.Tensor(args[0], name, 1), OpLowering.Tensor(args[1], name, 2), OpLowering.Tensor(args[2], name, 3)));
            case ("MatMul", 2):
                return new TensorValue(MatMul(g, OpLowering.Tensor(args[0], name, 1), OpLowering.Tensor(args[1], name, 2)));
            case ("CausalMask", 1):
            {
                int n = Int(g, args[0], "length", name);
                if (n < 1)
                    throw new ShapeError(DiagnosticDescriptors.InvalidDimension, n, name);
                return new TensorValue(g.CausalMask(n));
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// torch.mean(x, axis, keepdim): the axis is moved last (adjacent swaps, none when it is last
    /// already), each row summed and scaled by 1/n; keepdim reshapes in the axis of length 1.
    /// </summary>
    public static int Mean(GraphBuilder g, int x, int axis, bool keepDim)
    {
        Shape shape = g[x].Shape;
        int mean = g.Multiply(g.SumLast(MoveToLast(g, x, axis)), g.Constant(1.0 / shape[axis]));
        return KeepDim(g, mean, shape, axis, keepDim);
    }

    /// <summary>
    /// torch.stack(parts, axis): parts of one shape joined along a new axis, which counts in the
    /// result (rank + 1 axes): each part gets an axis of 1 there (a reshape), then they are
    /// concatenated along it, so the gradient is the concat's (slices, reshaped back).
    /// </summary>
    public static int Stack(GraphBuilder g, int[] parts, int axis)
    {
        Shape shape = g[parts[0]].Shape;
        foreach (int part in parts)
            if (g[part].Shape != shape)
                throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "Stack (every part must have the first part's shape)", shape, g[part].Shape);
        int rank = shape.Rank + 1;
        if (axis < -rank || axis >= rank)
            throw ShapeError.AxisOutOfRange(axis, "Stack (the axis counts in the stacked result)", Shape.Of(new[] { parts.Length }.Concat(shape.Dimensions).ToArray()));
        if (axis < 0) axis += rank;
        var dims = shape.Dimensions.ToList();
        dims.Insert(axis, 1);
        return g.Concat(axis, parts.Select(p => g.Reshape(p, Shape.Of(dims.ToArray()))).ToArray());
    }

    /// <summary>
    /// torch.gather(x, axis, index) with float indices (ArgMax's): index has x's rank and x's
    /// lengths on every other axis (DSL0101 otherwise), and the same batching. Both are moved so the
    /// axis is last, gathered row by row, and the result's axis moved back.
    /// </summary>
    public static int Gather(GraphBuilder g, int x, int axis, int index)
    {
        Shape sx = g[x].Shape, si = g[index].Shape;
        if (si.Rank != sx.Rank || Enumerable.Range(0, sx.Rank).Any(d => d != axis && si[d] != sx[d]))
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch,
                "Gather along axis " + axis + " (the index must have x's rank and x's length on every other axis)", sx, si);
        if (g[x].Batched != g[index].Batched)
            throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "Gather of " + (g[x].Batched ? "a per-example tensor at indices that are not per example" : "a tensor that is not per example at per-example indices"),
                "gather per-example values at per-example indices (the indices of ArgMax of a per-example tensor are)");
        int gathered = g.GatherLast(MoveToLast(g, x, axis), MoveToLast(g, index, axis));
        for (int a = sx.Rank - 1; a > axis; a--)
            gathered = g.Transpose(gathered, a - 1, a);
        return gathered;
    }

    /// <summary>
    /// torch.var(x, axis, unbiased, keepdim): two passes as the eager reference, Σ(x − mean)² over
    /// the axis, divided by n − 1 (unbiased, torch's default) or n (biased, as nn.LayerNorm).
    /// </summary>
    public static int Variance(GraphBuilder g, int x, int axis, bool unbiased, bool keepDim)
    {
        Shape shape = g[x].Shape;
        int n = shape[axis];
        int rows = MoveToLast(g, x, axis);
        int mean = g.Multiply(g.SumLast(rows), g.Constant(1.0 / n));
        int centred = g.Subtract(rows, g[mean].Shape.IsScalar ? mean : g.ExpandLast(mean, n));
        int variance = g.Divide(g.SumLast(g.Multiply(centred, centred)), g.Constant(unbiased ? n - 1 : n));
        return KeepDim(g, variance, shape, axis, keepDim);
    }

    /// <summary>
    /// torch.where: the operands broadcast to one shape as NumPy's do (the narrow forms of
    /// <see cref="TryBroadcast"/> first, e.g. an [T, T] mask against [H, T, T] scores, then
    /// <see cref="Broadcasting"/>); DSL0112 when they cannot.
    /// </summary>
    public static int Where(GraphBuilder g, int condition, int a, int b)
    {
        int[] operands = { condition, a, b };
        Shape target = operands.Select(o => g[o].Shape).OrderByDescending(s => s.Size).ThenByDescending(s => s.Rank).First();
        int?[] broadcast = operands.Select(o => TryBroadcast(g, o, target)).ToArray();
        if (broadcast.All(o => o is not null))
            return g.Where(broadcast[0]!.Value, broadcast[1]!.Value, broadcast[2]!.Value);
        // The general rule (NumPy's) where the forms above do not reach: [T, 1] against [1, T].
        Shape? general = Broadcasting.ResultShape(g[condition].Shape, g[a].Shape) is Shape ca ? Broadcasting.ResultShape(ca, g[b].Shape) : null;
        if (general is null)
            throw new ShapeError(DiagnosticDescriptors.WhereNotBroadcastable, g[condition].Shape, g[a].Shape, g[b].Shape);
        int where = g.Where(Broadcasting.To(g, condition, general), Broadcasting.To(g, a, general), Broadcasting.To(g, b, general));
        return Broadcasting.Fit(g, where, general);
    }

    /// <summary>
    /// x broadcast to <paramref name="target"/> in the forms torch allows that the IR expresses
    /// without a general strided broadcast: a scalar as it is (element-wise ops broadcast scalars),
    /// a trailing axis of length 1 (a keepdim reduction, [..., 1] against [..., n]) repeated along
    /// the last axis, and a value whose shape ends the target's (a mask [T, T] against [H, T, T])
    /// repeated over the leading axes: the eager operators' rules exactly. Null when none applies.
    /// </summary>
    public static int? TryBroadcast(GraphBuilder g, int x, Shape target)
    {
        Shape shape = g[x].Shape;
        if (shape.IsScalar || shape == target)
            return x;
        if (shape.Rank == target.Rank && shape.Last == 1 && shape.Leading == target.Leading)
        {
            int perRow = g.Reshape(x, shape.Leading);
            return shape.Rank == 1 ? perRow : g.ExpandLast(perRow, target.Last);
        }
        int extra = target.Rank - shape.Rank;
        if (extra > 0 && target.Dimensions.Skip(extra).SequenceEqual(shape.Dimensions))
        {
            Shape leading = Shape.Of(target.Dimensions.Take(extra).ToArray());
            int flat = g.Reshape(x, Shape.Of(shape.Size));
            // Unbatched: one tile over the leading axes. Batched (Tile is for unbatched values):
            // each element repeated along a new last axis, then that axis moved to the front.
            int repeated = g[x].Batched
                ? g.Transpose(g.ExpandLast(flat, leading.Size), 0, 1)
                : g.Tile(flat, leading);
            return g.Reshape(repeated, target);
        }
        return null;
    }

    /// <summary>
    /// torch.matmul for rank 2 or more, onto the IR's <see cref="OpKind.MatMul"/>: the inner
    /// dimensions and the leading axes are checked here (DSL0111), and an operand that is a
    /// transpose of its last two axes (<c>MatMul(q, Transpose(k))</c>) becomes the GEMM's transpose
    /// flag rather than a copy.
    /// </summary>
    public static int MatMul(GraphBuilder g, int a, int b)
    {
        Shape sa = g[a].Shape, sb = g[b].Shape;
        if (sa.Rank < 2 || sb.Rank < 2)
            throw new ShapeError(DiagnosticDescriptors.MatMulShapeMismatch, sa, sb, "both operands must have rank 2 or more ([..., m, k] and [..., k, n])");
        if (sa.Last != sb[sb.Rank - 2])
            throw new ShapeError(DiagnosticDescriptors.MatMulShapeMismatch, sa, sb, $"the inner dimensions {sa.Last} and {sb[sb.Rank - 2]} differ");
        if (sa.Rank > 2 && sb.Rank > 2 && ShapeRules.MatrixLeading(sa) != ShapeRules.MatrixLeading(sb))
            throw new ShapeError(DiagnosticDescriptors.MatMulShapeMismatch, sa, sb, "the leading axes must agree, or one operand must be a plain matrix [m, k] or [k, n]");
        (int left, bool transposeA) = Untransposed(g, a);
        (int right, bool transposeB) = Untransposed(g, b);
        return g.MatMul(left, right, transposeA, transposeB);
    }

    /// <summary>A transpose of the last two axes as its input and a flag.</summary>
    private static (int Node, bool Transposed) Untransposed(GraphBuilder g, int x)
    {
        Node node = g[x];
        int rank = node.Shape.Rank;
        return node.Op == OpKind.Transpose && node.Attributes[0] == rank - 2 && node.Attributes[1] == rank - 1
            ? (node.Inputs[0], true)
            : (x, false);
    }

    /// <summary>torch.reshape with one −1 inferred; the sizes must agree (DSL0109).</summary>
    public static int Reshape(GraphBuilder g, int x, int[] dims)
    {
        Shape from = g[x].Shape;
        int[]? resolved = Resolve(dims, from.Size);
        if (resolved is null)
            throw new ShapeError(DiagnosticDescriptors.ReshapeSizeMismatch, from, from.Size, "[" + string.Join(", ", dims) + "]");
        return g.Reshape(x, Shape.Of(resolved));
    }

    /// <summary>x with <paramref name="axis"/> rotated to the end, the other axes in order.</summary>
    internal static int MoveToLast(GraphBuilder g, int x, int axis)
    {
        for (int a = axis; a < g[x].Shape.Rank - 1; a++)
            x = g.Transpose(x, a, a + 1);
        return x;
    }

    /// <summary>A reduction's result with the reduced axis back as length 1 when keepdim is asked for.</summary>
    internal static int KeepDim(GraphBuilder g, int reduced, Shape shape, int axis, bool keepDim)
    {
        if (!keepDim) return reduced;
        int[] dims = shape.Dimensions.ToArray();
        dims[axis] = 1;
        return g.Reshape(reduced, Shape.Of(dims));
    }

    private static int[]? Resolve(int[] dims, int count)
    {
        int inferred = -1, known = 1;
        for (int d = 0; d < dims.Length; d++)
        {
            if (dims[d] == -1 && inferred < 0) inferred = d;
            else if (dims[d] >= 1) known *= dims[d];
            else return null;
        }
        int[] resolved = (int[])dims.Clone();
        if (inferred >= 0)
        {
            if (count % known != 0) return null;
            resolved[inferred] = count / known;
        }
        return resolved.Aggregate(1, (a, b) => a * b) == count ? resolved : null;
    }

    /// <summary>An axis argument in [−rank, rank) of x, as an index in [0, rank) (DSL0108 otherwise).</summary>
    private static int Axis(GraphBuilder g, Value value, int x, string op) => Axis(Int(g, value, "axis", op), x, g, op);

    private static int Axis(int axis, int x, GraphBuilder g, string op)
    {
        Shape shape = g[x].Shape;
        if (axis < -shape.Rank || axis >= shape.Rank)
            throw ShapeError.AxisOutOfRange(axis, op, shape);
        return axis < 0 ? axis + shape.Rank : axis;
    }

    /// <summary>An int argument, which must be a compile-time constant.</summary>
    private static int Int(GraphBuilder g, Value value, string what, string op)
    {
        if (value is TensorValue t && g[t.Node].Op == OpKind.Constant && g[t.Node].Constant == System.Math.Floor(g[t.Node].Constant)
            && System.Math.Abs(g[t.Node].Constant) <= int.MaxValue)
            return (int)g[t.Node].Constant;
        throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "A " + what + " of '" + op + "' that is not a constant int", "pass a literal, a 'const int', or a number computed from them");
    }

    /// <summary>A bool argument (keepDim, unbiased), which must be a compile-time constant.</summary>
    private static bool Flag(GraphBuilder g, Value value, string op)
    {
        if (value is TensorValue t && g[t.Node].Op == OpKind.Constant)
            return g[t.Node].Constant != 0;
        throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "A flag of '" + op + "' that is not a constant bool", "pass true, false or a 'const bool'");
    }
}
