using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Layer normalisation, x̂ = (x − μ)·r with r = 1/√(var + ε) per row. Its Jacobian J is symmetric,
// so one kernel, LayerNormBackward(x, g) = J·g, is both its VJP and its JVP; the rules of that
// kernel and of r are written with x̂, r and row means (E, repeated along the row), so derivatives
// of any order close over these three ops.
internal static partial class VjpRules
{
    /// <summary>x̂ = LayerNorm(x): x̄ = J·ȳ.</summary>
    private static int?[] LayerNorm(GraphBuilder g, Node y, int dy) => new int?[] { g.LayerNormBackward(y.Inputs[0], dy) };

    /// <summary>r = (var + ε)^(−½): dr = −r²·E(x̂ ⊙ dx), so x̄ = −(r̄ ⊙ r²/d) ⊙ x̂ along each row.</summary>
    private static int?[] LayerNormScale(GraphBuilder g, Node r, int dr)
    {
        int x = r.Inputs[0], d = g[x].Shape.Last;
        int perRow = g.Multiply(g.Constant(-1.0 / d), g.Multiply(dr, g.Multiply(r.Id, r.Id)));
        return new int?[] { g.Multiply(AlongRows(g, perRow, x), g.LayerNorm(x)) };
    }

    /// <summary>
    /// y = J(x)·c: c̄ = J·ȳ (J is symmetric); x̄ = −r ⊙ (x̂ ⊙ E(ȳ⊙y) + E(ȳ⊙x̂) ⊙ y) − J·(r ⊙ E(c⊙x̂) ⊙ ȳ),
    /// the transpose of the forward derivative below.
    /// </summary>
    private static int?[] LayerNormBackward(GraphBuilder g, Node y, int dy)
    {
        int x = y.Inputs[0], c = y.Inputs[1];
        int normalised = g.LayerNorm(x), r = AlongRows(g, g.LayerNormScale(x), x);
        int first = g.Add(g.Multiply(normalised, RowMean(g, g.Multiply(dy, y.Id))), g.Multiply(RowMean(g, g.Multiply(dy, normalised)), y.Id));
        int second = g.LayerNormBackward(x, g.Multiply(g.Multiply(r, RowMean(g, g.Multiply(c, normalised))), dy));
        return new int?[] { g.Negate(g.Add(g.Multiply(r, first), second)), g.LayerNormBackward(x, dy) };
    }

    /// <summary>E(v): the mean of each row of v, repeated along the row.</summary>
    internal static int RowMean(GraphBuilder g, int v) =>
        AlongRows(g, g.Multiply(g.Constant(1.0 / g[v].Shape.Last), g.SumLast(v)), v);
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẋ̂ = J·ẋ.</summary>
    private static int? LayerNorm(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.LayerNormBackward(y.Inputs[0], d));

    /// <summary>ṙ = −r²·mean(x̂ ⊙ ẋ) per row.</summary>
    private static int? LayerNormScale(GraphBuilder g, Node r, int?[] t)
    {
        int x = r.Inputs[0], d = g[x].Shape.Last;
        return Map(t[0], u => g.Multiply(g.Constant(-1.0 / d), g.Multiply(g.Multiply(r.Id, r.Id), g.SumLast(g.Multiply(g.LayerNorm(x), u)))));
    }

    /// <summary>
    /// y = J(x)·c: ẏ = −r ⊙ (E(x̂⊙ẋ) ⊙ y + J·ẋ ⊙ E(c⊙x̂) + x̂ ⊙ E(c ⊙ J·ẋ)) + J·ċ.
    /// </summary>
    private static int? LayerNormBackward(GraphBuilder g, Node y, int?[] t)
    {
        int x = y.Inputs[0], c = y.Inputs[1];
        int? alongX = Map(t[0], u =>
        {
            int normalised = g.LayerNorm(x), r = AlongRows(g, g.LayerNormScale(x), x);
            int ju = g.LayerNormBackward(x, u);
            int sum = g.Add(g.Add(
                g.Multiply(VjpRules.RowMean(g, g.Multiply(normalised, u)), y.Id),
                g.Multiply(ju, VjpRules.RowMean(g, g.Multiply(c, normalised)))),
                g.Multiply(normalised, VjpRules.RowMean(g, g.Multiply(c, ju))));
            return g.Negate(g.Multiply(r, sum));
        });
        return Sum(g, alongX, Map(t[1], d => g.LayerNormBackward(x, d)));
    }
}
