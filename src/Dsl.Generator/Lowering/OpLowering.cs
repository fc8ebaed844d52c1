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
            case ("Maximum", 2): return new TensorValue(Broadcasting.Binary(g, OpKind.Maximum, Tensor(args[0], name, 1), Tensor(args[1], name, 2)));
            case ("Minimum", 2): return new TensorValue(Broadcasting.Binary(g, OpKind.Minimum, Tensor(args[0], name, 1), Tensor(args[1], name, 2)));
            case ("Pow", 2): return new TensorValue(Pow(g, Tensor(args[0], name, 1), Number(g, args[1], "exponent", name)));
            case ("Clamp", 3): return new TensorValue(Clamp(g, Tensor(args[0], name, 1), Number(g, args[1], "min", name), Number(g, args[2], "max", name)));
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

    /// <summary>
    /// <c>Pow(x, c)</c> for a constant c: products for an integer c (so any sign of x works, as
    /// torch.pow), Sqrt or Rsqrt for ±½, else exp(c·ln x). The derivative follows from the parts.
    /// </summary>
    internal static int Pow(GraphBuilder g, int x, double c)
    {
        if (c == 0)
            throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "Pow(x, 0)", "it is 1 for every x; write the constant 1");
        if (c == 0.5) return g.Unary(OpKind.SquareRoot, x);
        if (c == -0.5) return g.Unary(OpKind.Rsqrt, x);
        if (c == System.Math.Floor(c) && System.Math.Abs(c) <= 1 << 20)
        {
            // Square-and-multiply: about 2·log2|c| products.
            long n = (long)System.Math.Abs(c);
            int? result = null;
            int power = x;
            while (true)
            {
                if ((n & 1) != 0) result = result is int r ? g.Multiply(r, power) : power;
                n >>= 1;
                if (n == 0) break;
                power = g.Multiply(power, power);
            }
            return c > 0 ? result!.Value : g.Divide(g.Constant(1), result!.Value);
        }
        return g.Unary(OpKind.Exp, g.Multiply(g.Constant(c), g.Unary(OpKind.Log, x)));
    }

    /// <summary>
    /// <c>Clamp(x, lo, hi)</c> as torch.clamp: <c>Where(x &lt; lo, lo, Where(x &gt; hi, hi, x))</c>, so the
    /// gradient passes to x where lo ≤ x ≤ hi (the conditions are Step masks, which carry none).
    /// </summary>
    internal static int Clamp(GraphBuilder g, int x, double lo, double hi)
    {
        if (!(lo <= hi))
            throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "Clamp(x, " + Format(lo) + ", " + Format(hi) + ") with min above max", "pass min <= max");
        int low = g.Constant(lo), high = g.Constant(hi);
        int above = g.Where(g.Unary(OpKind.Step, g.Subtract(x, high)), high, x);
        return g.Where(g.Unary(OpKind.Step, g.Subtract(low, x)), low, above);
    }

    /// <summary>A number argument, which must be a compile-time constant.</summary>
    private static double Number(GraphBuilder g, Value value, string what, string op)
    {
        if (value is TensorValue t && g[t.Node].Op == OpKind.Constant)
            return g[t.Node].Constant;
        throw new ShapeError(DiagnosticDescriptors.UnsupportedSyntax, "A " + what + " of '" + op + "' that is not a compile-time constant", "pass a literal, a 'const', or a number computed from them");
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

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
