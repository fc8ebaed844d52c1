using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The three GEMM shapes of a Dense layer transpose into one another, so the backward pass of a
// matrix product is two more matrix products.
internal static partial class VjpRules
{
    /// <summary>y = W·x: W̄ = Σ_batch ȳ ⊗ x, x̄ = Wᵀ·ȳ.</summary>
    internal static int?[] Linear(GraphBuilder g, Node y, int dy)
    {
        int w = y.Inputs[0], x = y.Inputs[1];
        return new int?[] { g.OuterBatchSum(dy, x), g.LinearTranspose(w, dy) };
    }

    /// <summary>y = Wᵀ·v: W̄ = Σ_batch v ⊗ ȳ, v̄ = W·ȳ.</summary>
    internal static int?[] LinearTranspose(GraphBuilder g, Node y, int dy)
    {
        int w = y.Inputs[0], v = y.Inputs[1];
        return new int?[] { g.OuterBatchSum(v, dy), g.Linear(w, dy) };
    }

    /// <summary>Y = Σ_batch a ⊗ b: ā = Ȳ·b, b̄ = Ȳᵀ·a.</summary>
    internal static int?[] OuterBatchSum(GraphBuilder g, Node y, int dy)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        return new int?[] { g.Linear(dy, b), g.LinearTranspose(dy, a) };
    }
}

// Forward mode: each product is bilinear, so its tangent is the sum of two products.
internal static partial class JvpRules
{
    internal static int? Linear(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.Linear(d, y.Inputs[1])), Map(t[1], d => g.Linear(y.Inputs[0], d)));

    internal static int? LinearTranspose(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.LinearTranspose(d, y.Inputs[1])), Map(t[1], d => g.LinearTranspose(y.Inputs[0], d)));

    internal static int? OuterBatchSum(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.OuterBatchSum(d, y.Inputs[1])), Map(t[1], d => g.OuterBatchSum(y.Inputs[0], d)));
}
