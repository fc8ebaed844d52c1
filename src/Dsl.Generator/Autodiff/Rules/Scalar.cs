using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The Math functions of the transforms' scalar functions: y = f(x) with x̄ = ȳ·f'(x) and
// ẏ = f'(x)·ẋ sharing one derivative, d(f, x). At the non-differentiable points they follow JAX's
// rules in jax/_src/lax/lax.py (docs/transforms.md lists them): |x|' = x >= 0 ? 1 : −1 (1 at 0),
// max/min split a tie evenly, sign/floor/ceiling/round have derivative 0, pow as _pow_jvp_lhs/rhs.
internal static partial class VjpRules
{
    internal static int?[] ScalarUnary(GraphBuilder g, Node y, int dy) => new int?[] { g.Multiply(dy, ScalarDerivative(g, y)) };

    /// <summary>y = a^b: ā = ȳ·b·a^(b−1), b̄ = ȳ·ln(a)·y.</summary>
    internal static int?[] Pow(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(dy, PowBase(g, y)), g.Multiply(dy, PowExponent(g, y)) };

    /// <summary>y = atan2(a, b): ā = ȳ·b/(a² + b²), b̄ = −ȳ·a/(a² + b²).</summary>
    internal static int?[] Atan2(GraphBuilder g, Node y, int dy)
    {
        (int da, int db) = Atan2Partials(g, y);
        return new int?[] { g.Multiply(dy, da), g.Multiply(dy, db) };
    }

    /// <summary>y = max(a, b) or min(a, b): the cotangent goes to the chosen side, half to each at a tie.</summary>
    internal static int?[] Extremum(GraphBuilder g, Node y, int dy)
    {
        (int a, int b) = ExtremumShares(g, y);
        return new int?[] { g.Multiply(dy, a), g.Multiply(dy, b) };
    }

    /// <summary>y = c ? a : b: ā = c ? ȳ : 0, b̄ = c ? 0 : ȳ; the condition gets none.</summary>
    internal static int?[] Select(GraphBuilder g, Node y, int dy)
    {
        int zero = g.Constant(0, y.Type);
        return new int?[] { null, g.Select(y.Inputs[0], dy, zero), g.Select(y.Inputs[0], zero, dy) };
    }

    /// <summary>y = (T)x: x̄ = (S)ȳ, converted back to x's type.</summary>
    internal static int?[] Convert(GraphBuilder g, Node y, int dy) => new int?[] { g.Convert(dy, g[y.Inputs[0]].Type) };

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
            OpKind.Abs => g.Select(g.Scalar(OpKind.GreaterEqual, DType.Bool, x, g.Constant(0, t)), One(), g.Constant(-1, t)), // JAX: select(x >= 0, g, -g)
            OpKind.Log10 => g.Divide(g.Constant(1 / System.Math.Log(10), t), x),
            _ => throw new System.ArgumentOutOfRangeException(nameof(y), y.Op, "not a unary Math function"),
        };
    }

    /// <summary>
    /// ∂(a^b)/∂a = b·a^(b−1). An integer exponent (a constant with an integral value, or an int
    /// converted) follows JAX's integer rule, 0 where b = 0, so <c>Pow(x, 0)</c> has derivative 0
    /// at x = 0 rather than 0·∞; a floating exponent keeps b·a^(b−1) as JAX's float rule does.
    /// </summary>
    internal static int PowBase(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        Node exponent = g[b];
        if (exponent.Op == OpKind.Constant && exponent.Constant == 0)
            return g.Constant(0, y.Type);
        int derivative = g.Multiply(b, g.Scalar(OpKind.Pow, y.Type, a, g.Subtract(b, g.Constant(1, y.Type))));
        bool integer = exponent.Op == OpKind.Convert && g[exponent.Inputs[0]].Type == DType.I32;
        return integer ? g.Select(g.Scalar(OpKind.Equal, DType.Bool, b, g.Constant(0, y.Type)), g.Constant(0, y.Type), derivative) : derivative;
    }

    /// <summary>∂(a^b)/∂b = ln(a)·a^b with ln(0) read as ln(1) (JAX's log(_replace_zero(x))·ans): 0 at a = 0 unless b &lt; 0.</summary>
    internal static int PowExponent(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0];
        int nonzero = g.Select(g.Scalar(OpKind.Equal, DType.Bool, a, g.Constant(0, y.Type)), g.Constant(1, y.Type), a);
        return g.Multiply(g.Unary(OpKind.Log, nonzero), y.Id);
    }

    internal static (int Da, int Db) Atan2Partials(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        int norm = g.Add(g.Multiply(a, a), g.Multiply(b, b));
        return (g.Divide(b, norm), g.Negate(g.Divide(a, norm)));
    }

    /// <summary>
    /// The shares of max(a, b) (or min) that a and b get: 1 to the one chosen, ½ each at a tie
    /// (JAX's _balanced_eq), each a select of constants so the cotangent is written into its arms.
    /// </summary>
    internal static (int A, int B) ExtremumShares(GraphBuilder g, Node y)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        int half = g.Constant(0.5, y.Type);
        if (a == b)
            return (half, half); // max(x, x): always a tie, and no x > x in the generated code
        OpKind wins = y.Op == OpKind.Max ? OpKind.Greater : OpKind.Less;
        int one = g.Constant(1, y.Type), zero = g.Constant(0, y.Type);
        int aWins = g.Scalar(wins, DType.Bool, a, b), tie = g.Scalar(OpKind.Equal, DType.Bool, a, b);
        return (g.Select(aWins, one, g.Select(tie, half, zero)), g.Select(aWins, zero, g.Select(tie, half, one)));
    }
}

// Forward mode: the same derivatives applied to tangents.
internal static partial class JvpRules
{
    internal static int? ScalarUnary(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Multiply(d, VjpRules.ScalarDerivative(g, y)));

    internal static int? Pow(GraphBuilder g, Node y, int?[] t) =>
        Sum(g, Map(t[0], d => g.Multiply(d, VjpRules.PowBase(g, y))), Map(t[1], d => g.Multiply(d, VjpRules.PowExponent(g, y))));

    internal static int? Atan2(GraphBuilder g, Node y, int?[] t)
    {
        (int da, int db) = VjpRules.Atan2Partials(g, y);
        return Sum(g, Map(t[0], d => g.Multiply(d, da)), Map(t[1], d => g.Multiply(d, db)));
    }

    internal static int? Extremum(GraphBuilder g, Node y, int?[] t)
    {
        (int a, int b) = VjpRules.ExtremumShares(g, y);
        return Sum(g, Map(t[0], d => g.Multiply(d, a)), Map(t[1], d => g.Multiply(d, b)));
    }

    internal static int? Select(GraphBuilder g, Node y, int?[] t)
    {
        if (t[1] is null && t[2] is null) return null;
        int zero = g.Constant(0, y.Type);
        return g.Select(y.Inputs[0], t[1] ?? zero, t[2] ?? zero);
    }

    internal static int? Convert(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Convert(d, y.Type));
}
