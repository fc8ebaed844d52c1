using System.Collections.Generic;
using Dsl.Generator.Checking;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Lowering;

/// <summary>
/// The calls of <c>Dsl.Ops</c> the compiler understands, each lowered to IR. Composite ops
/// (<c>Mean</c>, <c>Mse</c>) decompose here into primitives, so they need no derivative rule of
/// their own.
/// </summary>
internal static class OpLowering
{
    /// <summary>Lowers <c>Ops.{name}(arguments)</c>, or returns null when the compiler has no such op.</summary>
    public static Value? TryLower(GraphBuilder g, string name, IReadOnlyList<Value> args)
    {
        // The element-wise functions are lowered from their definitions (OpDefinition.DslName).
        if (args.Count == 1 && OpTable.CalledAs(name) is OpKind elementwise)
            return Unary(g, elementwise, args[0]);
        switch (name, args.Count)
        {
            case ("Softmax", 1): return new TensorValue(g.Softmax(Tensor(args[0], name, 1)));
            case ("LogSoftmax", 1): return new TensorValue(g.LogSoftmax(Tensor(args[0], name, 1)));
            case ("Sum", 1): return new TensorValue(g.Sum(Tensor(args[0], name, 1)));
            case ("Mean", 1): return new TensorValue(Mean(g, Tensor(args[0], name, 1)));
            case ("CrossEntropy", 2) when args[1] is TokensValue targets:
                return new TensorValue(MeanOverPositions(g, g.CrossEntropy(Tensor(args[0], name, 1), targets.Node)));
            case ("Accuracy", 2) when args[1] is TokensValue targets:
                return new TensorValue(MeanOverPositions(g, g.Accuracy(Tensor(args[0], name, 1), targets.Node)));
            case ("CrossEntropy", 2): return new TensorValue(g.CrossEntropy(Tensor(args[0], name, 1), Label(args[1], name, 2)));
            case ("Accuracy", 2): return new TensorValue(g.Accuracy(Tensor(args[0], name, 1), Label(args[1], name, 2)));
            case ("Mse", 2): return new TensorValue(Mse(g, Tensor(args[0], name, 1), Tensor(args[1], name, 2)));
            default: return TensorOps.TryLower(g, name, args);
        }
    }

    /// <summary><c>Mean(x) = Sum(x) · (1/n)</c>.</summary>
    public static int Mean(GraphBuilder g, int x) =>
        g.Multiply(g.Sum(x), g.Constant(1.0 / g[x].Shape.Size));

    /// <summary>
    /// <c>(x − mean) / √(var + ε) · weight + bias</c> over the last axis of x, as nn.LayerNorm: one
    /// row kernel normalises (its gradient is another), then the weight and bias [d] are tiled
    /// over the rows and applied element-wise.
    /// </summary>
    public static int LayerNorm(GraphBuilder g, int x, int weight, int bias)
    {
        Shape leading = g[x].Shape.Leading;
        return g.Add(g.Multiply(g.LayerNorm(x), g.Tile(weight, leading)), g.Tile(bias, leading));
    }

    /// <summary>A loss per position [T] averaged over the positions, as F.cross_entropy's mean over flattened positions.</summary>
    private static int MeanOverPositions(GraphBuilder g, int perPosition) => Mean(g, perPosition);

    /// <summary><c>Mse(p, t) = Mean((p − t)²)</c>, with p and t of one shape (no broadcasting, as torch's mse_loss warns).</summary>
    public static int Mse(GraphBuilder g, int prediction, int target)
    {
        if (g[prediction].Shape != g[target].Shape)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "Mse(prediction, target)", g[prediction].Shape, g[target].Shape);
        int difference = g.Subtract(prediction, target);
        return Mean(g, g.Multiply(difference, difference));
    }

    internal static Value Unary(GraphBuilder g, OpKind op, Value x) => new TensorValue(g.Unary(op, Tensor(x, op.ToString(), 1)));

    internal static int Tensor(Value value, string op, int position) => value switch
    {
        TensorValue t => t.Node,
        _ => throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, op, "a Tensor", position, value is LabelValue ? "a Label" : "Tokens"),
    };

    private static int Label(Value value, string op, int position) => value switch
    {
        LabelValue l => l.Node,
        _ => throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, op, "a Label", position, "a Tensor"),
    };
}
