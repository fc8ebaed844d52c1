using Dsl.Generator.Ir;

namespace Dsl.Generator.Lowering;

/// <summary>
/// torch's reductions and normalizations over one axis (Sum, Max, Min, ArgMax, LogSumExp,
/// Softmax, LogSoftmax), lowered onto last-axis row ops: the axis is moved last by transposes
/// (none when it is last already), reduced, and kept as length 1 for keepdim. Max is the row sum
/// of <c>Where(ArgMaxMask(x), x, 0)</c>, so its gradient goes to the first maximum only, as
/// torch.max(x, dim)'s does (torch.amax's would be split at a tie); Min is −Max(−x). LogSumExp is
/// <c>x − LogSoftmax(x)</c> read at the maximum, which is m + ln Σ exp(x − m) exactly and whose
/// gradient is softmax(x). Their derivatives come from the parts.
/// </summary>
internal static class AxisReductions
{
    /// <summary>The reduction <paramref name="name"/> of x over <paramref name="axis"/> (in [0, rank)).</summary>
    public static int Reduce(GraphBuilder g, string name, int x, int axis, bool keepDim)
    {
        Shape shape = g[x].Shape;
        int rows = TensorOps.MoveToLast(g, x, axis);
        int reduced = name switch
        {
            "Sum" => g.SumLast(rows),
            "Max" => Max(g, rows),
            "Min" => g.Negate(Max(g, g.Negate(rows))),
            "ArgMax" => g.ArgMaxLast(rows),
            _ => g.SumLast(g.Where(g.ArgMaxMask(rows), g.Subtract(rows, g.LogSoftmax(rows)), g.Constant(0))),
        };
        return TensorOps.KeepDim(g, reduced, shape, axis, keepDim);
    }

    /// <summary>
    /// Softmax or LogSoftmax along <paramref name="axis"/>: over the last axis directly, otherwise
    /// between two swaps of that axis with the last (a swap is its own inverse).
    /// </summary>
    public static int Normalize(GraphBuilder g, string name, int x, int axis)
    {
        int last = g[x].Shape.Rank - 1;
        int rows = axis == last ? x : g.Transpose(x, axis, last);
        int normalized = name == "Softmax" ? g.Softmax(rows) : g.LogSoftmax(rows);
        return axis == last ? normalized : g.Transpose(normalized, axis, last);
    }

    /// <summary>The first maximum of each last-axis row, selected by its mask and summed (exact: the other terms are zeros).</summary>
    private static int Max(GraphBuilder g, int rows) =>
        g.SumLast(g.Where(g.ArgMaxMask(rows), rows, g.Constant(0)));
}
