using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// y = f(x), element-wise: x̄ = ȳ · f'(x), written with y where that is cheaper.
internal static partial class VjpRules
{
    /// <summary>y = −x: x̄ = −ȳ.</summary>
    private static int?[] Negate(GraphBuilder g, Node y, int dy) => new int?[] { g.Negate(dy) };

    /// <summary>y = eˣ: x̄ = ȳ·y.</summary>
    private static int?[] Exp(GraphBuilder g, Node y, int dy) => new int?[] { g.Multiply(dy, y.Id) };

    /// <summary>y = ln x: x̄ = ȳ / x.</summary>
    private static int?[] Log(GraphBuilder g, Node y, int dy) => new int?[] { g.Divide(dy, y.Inputs[0]) };

    /// <summary>y = tanh x: x̄ = ȳ·(1 − y²).</summary>
    private static int?[] Tanh(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, g.Subtract(g.Constant(1), g.Multiply(y.Id, y.Id))) };

    /// <summary>y = σ(x): x̄ = ȳ·y·(1 − y).</summary>
    private static int?[] Sigmoid(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, g.Multiply(y.Id, g.Subtract(g.Constant(1), y.Id))) };

    /// <summary>
    /// y = max(x, 0): x̄ = ȳ·[y &gt; 0], which is [x &gt; 0] (PyTorch's choice of 0 at x = 0). Reading
    /// the mask off the output, as PyTorch does, leaves x with one use, so x's producer fuses with
    /// the ReLU and x is never stored.
    /// </summary>
    private static int?[] Relu(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, g.Unary(OpKind.Step, y.Id)) };

    /// <summary>y = x·Φ(x): x̄ = ȳ·(Φ(x) + x·φ(x)).</summary>
    private static int?[] Gelu(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, g.Unary(OpKind.GeluDerivative, y.Inputs[0])) };

    /// <summary>y = Φ(x) + x·φ(x): x̄ = ȳ·φ(x)·(2 − x²), with φ(x) = e^(−x²/2)/√(2π).</summary>
    private static int?[] GeluDerivative(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, GeluSecondDerivative(g, y.Inputs[0])) };

    /// <summary>φ(x)·(2 − x²), with φ(x) = e^(−x²/2)/√(2π): the derivative of GeluDerivative.</summary>
    internal static int GeluSecondDerivative(GraphBuilder g, int x)
    {
        int squared = g.Multiply(x, x);
        int density = g.Multiply(g.Unary(OpKind.Exp, g.Multiply(squared, g.Constant(-0.5))), g.Constant(1 / Math.Sqrt(2 * Math.PI)));
        return g.Multiply(density, g.Subtract(g.Constant(2), squared));
    }
}

// Forward mode: ẏ = f'(x)·ẋ, the same derivatives as above applied to a tangent.
internal static partial class JvpRules
{
    private static int? Negate(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Negate(d));

    private static int? Exp(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Multiply(d, y.Id));

    private static int? Log(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Divide(d, y.Inputs[0]));

    private static int? Tanh(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(d, g.Subtract(g.Constant(1), g.Multiply(y.Id, y.Id))));

    private static int? Sigmoid(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(d, g.Multiply(y.Id, g.Subtract(g.Constant(1), y.Id))));

    private static int? Relu(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Multiply(d, g.Unary(OpKind.Step, y.Id)));

    private static int? Gelu(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(d, g.Unary(OpKind.GeluDerivative, y.Inputs[0])));

    private static int? GeluDerivative(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(d, VjpRules.GeluSecondDerivative(g, y.Inputs[0])));
}
