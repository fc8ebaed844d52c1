using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// A gather and a scatter-add are each other's transpose: reading rows of a table by id, and
// adding rows back into the table by id. The ids themselves carry no gradient.
internal static partial class VjpRules
{
    /// <summary>y[t] = W[ids[t]]: W̄ = Σ_batch Σ_t ȳ[t] into row ids[t].</summary>
    private static int?[] Gather(GraphBuilder g, Node y, int dy)
    {
        int table = y.Inputs[0], ids = y.Inputs[1];
        return new int?[] { g.ScatterAdd(ids, dy, g[table].Shape[0]), null };
    }

    /// <summary>Y = Σ g[t] into row ids[t]: ḡ[t] = Ȳ[ids[t]].</summary>
    private static int?[] ScatterAdd(GraphBuilder g, Node y, int dy) => new int?[] { null, g.Gather(dy, y.Inputs[0]) };
}

// Forward mode: both are linear in the table or the rows.
internal static partial class JvpRules
{
    private static int? Gather(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Gather(d, y.Inputs[1]));

    private static int? ScatterAdd(GraphBuilder g, Node y, int?[] t) => Map(t[1], d => g.ScatterAdd(y.Inputs[0], d, y.Shape[0]));
}
