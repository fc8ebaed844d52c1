using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Sum and Broadcast are each other's transpose (JAX's deflinear pair).
internal static partial class VjpRules
{
    /// <summary>y = Σ x: x̄ = ȳ repeated to x's shape.</summary>
    private static int?[] Sum(GraphBuilder g, Node y, int dy) => new int?[] { g.Broadcast(dy, g[y.Inputs[0]].Shape) };

    /// <summary>y = s repeated: s̄ = Σ ȳ.</summary>
    private static int?[] Broadcast(GraphBuilder g, Node y, int dy) => new int?[] { g.Sum(dy) };

    /// <summary>y = Σ_batch x: x̄ = ȳ for every example (an unbatched value broadcasts over the batch).</summary>
    private static int?[] BatchSum(GraphBuilder g, Node y, int dy) => new int?[] { dy };
}

// Forward mode: linear ops apply themselves to the tangent.
internal static partial class JvpRules
{
    private static int? Sum(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Sum(d));

    private static int? Broadcast(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Broadcast(d, y.Shape));

    private static int? BatchSum(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g[d].Batched ? g.BatchSum(d) : d);
}
