using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Attention's head movement: cutting heads out of a fused projection and laying them side by side
// again are each other's transpose (a permutation of elements, with zeros in the parts a split
// does not read), so each is the other's VJP and each, being linear, its own JVP. The causal
// softmax shares softmax's rules (Rowwise.cs): y ⊙ (ȳ − Σ ȳ⊙y) is zero where y is masked.
internal static partial class VjpRules
{
    /// <summary>y = split(x): x̄ = merge(ȳ) into the same part, zero in the others.</summary>
    private static int?[] SplitHeads(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.MergeHeads(dy, y.Attributes[1], y.Attributes[2]) };

    /// <summary>y = merge(x): x̄ = split(ȳ), the part x was written to.</summary>
    private static int?[] MergeHeads(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.SplitHeads(dy, g[y.Inputs[0]].Shape[0], y.Attributes[0], y.Attributes[1]) };
}

// Forward mode: both are linear.
internal static partial class JvpRules
{
    private static int? SplitHeads(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.SplitHeads(d, y.Attributes[0], y.Attributes[1], y.Attributes[2]));

    private static int? MergeHeads(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.MergeHeads(d, y.Attributes[0], y.Attributes[1]));
}
