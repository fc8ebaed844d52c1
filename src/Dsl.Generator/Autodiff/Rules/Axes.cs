using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The row ops' rules set per-row values (a row's sum, a row's loss cotangent) against the rows
// they came from. (The axis ops themselves, ExpandLast/SumLast and Tile/SumLeading, are declared
// linear in Ops/OpTable.Movement.cs.)
internal static partial class VjpRules
{
    /// <summary>A per-row value (a cotangent of a row's loss, a row's sum) set against the rows of <paramref name="rows"/>: a scalar broadcasts by itself.</summary>
    internal static int AlongRows(GraphBuilder g, int perRow, int rows) =>
        g[perRow].Shape.IsScalar ? perRow : g.ExpandLast(perRow, g[rows].Shape.Last);
}
