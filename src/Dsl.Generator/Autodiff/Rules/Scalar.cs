using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The Math functions of the transforms' scalar functions: y = f(x) with x̄ = ȳ·f'(x) and
// ẏ = f'(x)·ẋ sharing one derivative, d(f, x). At the non-differentiable points they follow JAX:
// |x|' = sign(x) (0 at 0), max/min split a tie evenly, sign/floor/ceiling/round have derivative 0.
internal static partial class VjpRules
{
    private static int?[] ScalarUnary(GraphBuilder g, Node y, int dy) => new int?[] { g.Multiply(dy, ScalarDerivative(g, y)) };

    /// <summary>y = a^b: ā = ȳ·b·a^(b−1), b̄ = ȳ·ln(a)·y.</summary>
    private static int?[] Pow(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, PowBase(g, y)), g.Multiply(dy, PowExponent(g, y)) };

    /// <summary>y = atan2(a, b): ā = ȳ·b/(a² + b²), b̄ = −ȳ·a/(a² + b²).</summary>
    private static int?[] Atan2(GraphBuilder g, Node y, int dy)
    {
        (int da, int db) = Atan2Partials(g, y);
        return new int?[] { g.Multiply(dy, da), g.Multiply(dy, db) };
    }

    /// <summary>y = max(a, b) or min(a, b): the cotangent goes to the chosen side, half to each at a tie.</summary>
    private static int?[] Extremum(GraphBuilder g, Node y, int dy)
    {
        int share = ExtremumShare(g, y);
        return new int?[] { g.Multiply(dy, share), g.Multiply(dy, g.Subtract(g.Constant(1, y.Type), share)) };
    }

    /// <summary>y = c ? a : b: ā = c ? ȳ : 0, b̄ = c ? 0 : ȳ; the condition gets none.</summary>
    private static int?[] Select(GraphBuilder g, Node y, int dy)
    {
        int zero = g.Constant(0, y.Type);
        return new int?[] { null, g.Select(y.Inputs[0], dy, zero), g.Select(y.Inputs[0], zero, dy) };
    }

    /// <summary>y = (T)x: x̄ = (S)ȳ, converted back to x's type.</summary>
    private static int?[] Convert(GraphBuilder g, Node y, int dy) => new int?[] { g.Convert(dy, g[y.Inputs[0]].Type) };

    /// <summary>f'(x) for the unary Math functions, in terms of y where that is cheaper.</summary>
    internal static int ScalarDerivative(GraphBuilder g, Node y)
    {
        int x = y.Inputs[0];
        DType t = y.Type;
        int One() => g.Constant(1, t);
        int Fn(OpKind op, int a) => g.Scalar(op, t, a);
        return y.Op switch
        {
            OpKind.Sin => Fn(OpKind.Cos, x),
            OpKind.Cos => g.Negate(Fn(OpKind.Sin, x)),
            OpKind.Tan => g.Add(One(), g.Multiply(y.Id, y.Id)),
            OpKind.Asin => g.Divide(One(), Fn(OpKind.Sqrt, g.Subtract(One(), g.Multiply(x, x)))),
            OpKind.Acos => g.Negate(g.Divide(One(), Fn(OpKind.Sqrt, g.Subtract(One(), g.Multiply(x, x))))),
            OpKind.Atan => g.Divide(One(), g.Add(One(), g.Multiply(x, x))),
            OpKind.Sinh => Fn(OpKind.Cosh, x),
            OpKind.Cosh => Fn(OpKind.Sinh, x),
            OpKind.Sqrt => g.Divide(g.Constant(0.5, t), y.Id),
            OpKind.Abs => g.Convert(Fn(OpKind.Sign, x), t),
            OpKind.Log10 => g.Divide(g.Constant(1 / System.Math.Log(10), t), x),
            _ => throw new System.ArgumentOutOfRangeException(nameof(y), y.Op, "not a unary Math function"),
        };
    }

    /// <summary>∂(a^b)/∂a = b·a^(b−1).</summary>
    internal static int PowBase(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        return g.Multiply(b, g.Scalar(OpKind.Pow, y.Type, a, g.Subtract(b, g.Constant(1, y.Type))));
    }

    /// <summary>∂(a^b)/∂b = ln(a)·a^b, taken as 0 where a = 0 (JAX's convention).</summary>
    internal static int PowExponent(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0];
        int zero = g.Constant(0, y.Type);
        return g.Select(g.Scalar(OpKind.Equal, DType.Bool, a, zero), zero, g.Multiply(g.Unary(OpKind.Log, a), y.Id));
    }

    internal static (int Da, int Db) Atan2Partials(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        int norm = g.Add(g.Multiply(a, a), g.Multiply(b, b));
        return (g.Divide(b, norm), g.Negate(g.Divide(a, norm)));
    }

    /// <summary>The share of max(a, b) (or min) that a gets: 1 if chosen, ½ at a tie, else 0.</summary>
    internal static int ExtremumShare(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        if (a == b)
            return g.Constant(0.5, y.Type); // max(x, x): always a tie, and no x > x in the generated code
        OpKind wins = y.Op == OpKind.Max ? OpKind.Greater : OpKind.Less;
        int half = g.Constant(0.5, y.Type);
        return g.Select(g.Scalar(wins, DType.Bool, a, b), g.Constant(1, y.Type),
            g.Select(g.Scalar(OpKind.Equal, DType.Bool, a, b), half, g.Constant(0, y.Type)));
    }
}

// Forward mode: the same derivatives applied to tangents.
internal static partial class JvpRules
{
    private static int? ScalarUnary(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Multiply(d, VjpRules.ScalarDerivative(g, y)));

    private static int? Pow(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.Multiply(d, VjpRules.PowBase(g, y))), Map(t[1], d => g.Multiply(d, VjpRules.PowExponent(g, y))));

    private static int? Atan2(GraphBuilder g, Node y, int?[] t)
    {
        (int da, int db) = VjpRules.Atan2Partials(g, y);
        return Sum(g, Map(t[0], d => g.Multiply(d, da)), Map(t[1], d => g.Multiply(d, db)));
    }

    private static int? Extremum(GraphBuilder g, Node y, int?[] t)
    {
        int share = VjpRules.ExtremumShare(g, y);
        return Sum(g, Map(t[0], d => g.Multiply(d, share)), Map(t[1], d => g.Multiply(d, g.Subtract(g.Constant(1, y.Type), share))));
    }

    private static int? Select(GraphBuilder g, Node y, int?[] t)
    {
        if (t[1] is null && t[2] is null) return null;
        int zero = g.Constant(0, y.Type);
        return g.Select(y.Inputs[0], t[1] ?? zero, t[2] ?? zero);
    }

    private static int? Convert(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Convert(d, y.Type));
}
