using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The axis ops of sequences come in transposed pairs, as Sum and Broadcast do: repeating along
// the last axis and summing over it; tiling over leading axes and summing over them.
internal static partial class VjpRules
{
    /// <summary>y[..., j] = x[...]: x̄ = Σ_j ȳ[..., j].</summary>
    private static int?[] ExpandLast(GraphBuilder g, Node y, int dy) => new int?[] { g.SumLast(dy) };

    /// <summary>y[...] = Σ_j x[..., j]: x̄ = ȳ repeated along the last axis.</summary>
    private static int?[] SumLast(GraphBuilder g, Node y, int dy) => new int?[] { g.ExpandLast(dy, g[y.Inputs[0]].Shape.Last) };

    /// <summary>y[t, j] = x[j]: x̄ = Σ_t ȳ[t, j] (over the batch too, when the cotangent varies with it).</summary>
    private static int?[] Tile(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.SumLeading(g[dy].Batched ? g.BatchSum(dy) : dy) };

    /// <summary>y[j] = Σ_t x[t, j]: x̄ = ȳ tiled over the leading axes.</summary>
    private static int?[] SumLeading(GraphBuilder g, Node y, int dy) => new int?[] { g.Tile(dy, g[y.Inputs[0]].Shape.Leading) };

    /// <summary>A per-row value (a cotangent of a row's loss, a row's sum) set against the rows of <paramref name="rows"/>: a scalar broadcasts by itself.</summary>
    private static int AlongRows(GraphBuilder g, int perRow, int rows) =>
        g[perRow].Shape.IsScalar ? perRow : g.ExpandLast(perRow, g[rows].Shape.Last);
}

// Forward mode: each is linear, so it applies itself to the tangent.
internal static partial class JvpRules
{
    private static int? ExpandLast(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.ExpandLast(d, y.Shape.Last));

    private static int? SumLast(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.SumLast(d));

    private static int? Tile(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Tile(d, y.Shape.Leading));

    private static int? SumLeading(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.SumLeading(d));

    /// <summary>See <see cref="VjpRules"/>' AlongRows.</summary>
    private static int AlongRows(GraphBuilder g, int perRow, int rows) =>
        g[perRow].Shape.IsScalar ? perRow : g.ExpandLast(perRow, g[rows].Shape.Last);
}
