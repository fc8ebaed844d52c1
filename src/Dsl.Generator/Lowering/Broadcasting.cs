using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Checking;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Lowering;

/// <summary>
/// NumPy's broadcasting for the element-wise operators, Maximum/Minimum and Where, as the eager
/// <c>Tensor</c> does it: the shapes are aligned from the last axis, each pair of dimensions must be
/// equal or one of them 1, and the result takes the larger of each pair. The IR's element-wise ops
/// take one shape (or a scalar), so an operand is brought to the result's shape with movement ops
/// whose transposes reduce the gradient back over the broadcast axes: its axes of 1 are reshaped
/// away, and each broadcast axis is added as a repeated last axis (ExpandLast, transposed by SumLast)
/// and swapped into place. The shapes <see cref="TensorOps.TryBroadcast"/> handled before (a
/// scalar, a last axis of 1, a trailing shape) keep its lowering, so existing programs are unchanged.
/// </summary>
internal static class Broadcasting
{
    /// <summary>The element-wise <paramref name="op"/> of a and b broadcast to one shape (DSL0101 when they do not).</summary>
    public static int Binary(GraphBuilder g, OpKind op, int a, int b)
    {
        Shape sa = g[a].Shape, sb = g[b].Shape;
        if (sa == sb || sa.IsScalar || sb.IsScalar)
            return g.Binary(op, a, b);
        if (TensorOps.TryBroadcast(g, a, sb) is int wideA)
            return g.Binary(op, wideA, b);
        if (TensorOps.TryBroadcast(g, b, sa) is int wideB)
            return g.Binary(op, a, wideB);
        Shape target = ResultShape(sa, sb) ?? throw Incompatible(ShapeRules.Describe(op), sa, sb);
        return Fit(g, g.Binary(op, To(g, a, target), To(g, b, target)), target);
    }

    /// <summary>The shape that a and b broadcast to, or null when a pair of dimensions differs and neither is 1.</summary>
    public static Shape? ResultShape(Shape a, Shape b)
    {
        int rank = System.Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = Dimension(a, i - rank), db = Dimension(b, i - rank);
            if (da != db && da != 1 && db != 1) return null;
            dims[i] = da == 1 ? db : da;
        }
        return Shape.Of(dims);
    }

    /// <summary>
    /// x brought to <paramref name="target"/>, a shape that x's broadcasts to: a value of one element
    /// becomes a scalar (the element-wise ops broadcast scalars); otherwise its axes of 1 are reshaped
    /// away and each broadcast axis is appended by ExpandLast and moved into place by adjacent swaps.
    /// </summary>
    public static int To(GraphBuilder g, int x, Shape target)
    {
        Shape shape = g[x].Shape;
        if (shape == target || shape.IsScalar)
            return x;
        if (shape.Size == 1)
            return g.Reshape(x, Shape.Scalar);
        int rank = target.Rank;
        // The target's axes that x already has (equal dimensions, 1s against 1s included), in order.
        var present = new List<int>();
        for (int axis = 0; axis < rank; axis++)
            if (Dimension(shape, axis - rank) == target[axis])
                present.Add(axis);
        int y = g.Reshape(x, Shape.Of(present.Select(axis => target[axis]).ToArray()));
        for (int axis = 0; axis < rank; axis++)
        {
            if (present.Contains(axis))
                continue;
            y = g.ExpandLast(y, target[axis]);
            int place = present.Count(p => p < axis);
            for (int last = present.Count; last > place; last--)
                y = g.Transpose(y, last - 1, last);
            present.Insert(place, axis);
        }
        return y;
    }

    /// <summary>DSL0101 for shapes that do not broadcast, naming the first pair of dimensions (from the end) that breaks the rule.</summary>
    public static ShapeError Incompatible(string op, Shape a, Shape b)
    {
        int rank = System.Math.Max(a.Rank, b.Rank);
        int axis = Enumerable.Range(1, rank).Select(k => -k)
            .First(k => Dimension(a, k) != Dimension(b, k) && Dimension(a, k) != 1 && Dimension(b, k) != 1);
        string rule = op + " broadcasts shapes aligned from the last axis when each pair of dimensions is equal or one of them is 1 (here "
            + Dimension(a, axis) + " against " + Dimension(b, axis) + " at axis " + axis + ")";
        return new ShapeError(DiagnosticDescriptors.ShapeMismatch, rule, a, b);
    }

    /// <summary>A result of one element whose operands were both scalars, given the target's shape of 1s.</summary>
    public static int Fit(GraphBuilder g, int result, Shape target) =>
        g[result].Shape == target ? result : g.Reshape(result, target);

    /// <summary>The dimension at <paramref name="fromEnd"/> (−1 the last) of a shape padded with leading 1s.</summary>
    private static int Dimension(Shape shape, int fromEnd) =>
        shape.Rank + fromEnd >= 0 ? shape[shape.Rank + fromEnd] : 1;
}
