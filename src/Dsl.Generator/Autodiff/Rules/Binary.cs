using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// y = a ∘ b, element-wise. A scalar operand that broadcast gets its cotangent summed back by
// ReverseMode.Unbroadcast, so these rules never think about shapes.
internal static partial class VjpRules
{
    /// <summary>y = a + b: ā = ȳ, b̄ = ȳ.</summary>
    private static int?[] Add(GraphBuilder g, Node y, int dy) => new int?[] { dy, dy };

    /// <summary>y = a − b: ā = ȳ, b̄ = −ȳ.</summary>
    private static int?[] Subtract(GraphBuilder g, Node y, int dy) => new int?[] { dy, g.Negate(dy) };

    /// <summary>y = a·b: ā = ȳ·b, b̄ = ȳ·a.</summary>
    private static int?[] Multiply(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, y.Inputs[1]), g.Multiply(dy, y.Inputs[0]) };

    /// <summary>y = a / b: ā = ȳ / b, b̄ = −ȳ·y / b.</summary>
    private static int?[] Divide(GraphBuilder g, Node y, int dy)
    {
        int b = y.Inputs[1];
        return new int?[] { g.Divide(dy, b), g.Negate(g.Divide(g.Multiply(dy, y.Id), b)) };
    }
}

// Forward mode: the product and quotient rules; a missing tangent is zero.
internal static partial class JvpRules
{
    private static int? Add(GraphBuilder g, Node y, int?[] t) => Sum(g, t[0], t[1]);

    private static int? Subtract(GraphBuilder g, Node y, int?[] t) => Sum(g, t[0], Map(t[1], d => g.Negate(d)));

    /// <summary>(ab)˙ = ȧ·b + a·ḃ.</summary>
    private static int? Multiply(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.Multiply(d, y.Inputs[1])), Map(t[1], d => g.Multiply(y.Inputs[0], d)));

    /// <summary>(a/b)˙ = ȧ/b − y·ḃ/b.</summary>
    private static int? Divide(GraphBuilder g, Node y, int?[] t)
    {
        int b = y.Inputs[1];
        return Sum(g, Map(t[0], d => g.Divide(d, b)), Map(t[1], d => g.Negate(g.Divide(g.Multiply(y.Id, d), b))));
    }
}
