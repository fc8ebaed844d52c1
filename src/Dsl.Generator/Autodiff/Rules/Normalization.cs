using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Layer normalisation, x̂ = (x − μ)·r with r = 1/√(var + ε) per row. Its Jacobian J = r·(I − 11ᵀ/d −
// x̂x̂ᵀ/d) is symmetric, so one kernel, LayerNormBackward(x̂, r, g) = J·g, is both its VJP and its
// JVP; it reads the forward's x̂ and r (PyTorch keeps rstd the same way) rather than recomputing
// the moments. E(v) below is the mean of each row of v, repeated along the row.
internal static partial class VjpRules
{
    /// <summary>x̂ = LayerNorm(x): x̄ = J·ȳ.</summary>
    internal static int?[] LayerNorm(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.LayerNormBackward(y.Id, g.LayerNormScale(y.Inputs[0]), dy) };

    /// <summary>r = (var + ε)^(−½): dr = −r²·mean(x̂ ⊙ dx), so x̄ = −(r̄ ⊙ r²/d) ⊙ x̂ along each row.</summary>
    internal static int?[] LayerNormScale(GraphBuilder g, Node r, int dr)
    {
        int x = r.Inputs[0], d = g[x].Shape.Last;
        int perRow = g.Multiply(g.Constant(-1.0 / d), g.Multiply(dr, g.Multiply(r.Id, r.Id)));
        return new int?[] { g.Multiply(VjpRules.AlongRows(g, perRow, x), g.LayerNorm(x)) };
    }

    /// <summary>
    /// y = r·(c − E(c) − x̂ ⊙ E(c⊙x̂)): x̂̄ = −r ⊙ (E(c⊙x̂) ⊙ ȳ + c ⊙ E(ȳ⊙x̂)); r̄ = Σ_row ȳ⊙y / r; c̄ = J·ȳ.
    /// </summary>
    internal static int?[] LayerNormBackward(GraphBuilder g, Node y, int dy)
    {
        int normalised = y.Inputs[0], scale = y.Inputs[1], c = y.Inputs[2];
        int r = VjpRules.AlongRows(g, scale, c);
        int dNormalised = g.Negate(g.Multiply(r, g.Add(
            g.Multiply(RowMean(g, g.Multiply(c, normalised)), dy),
            g.Multiply(c, RowMean(g, g.Multiply(dy, normalised))))));
        int dScale = g.Divide(g.SumLast(g.Multiply(dy, y.Id)), scale);
        return new int?[] { dNormalised, dScale, g.LayerNormBackward(normalised, scale, dy) };
    }

    /// <summary>E(v): the mean of each row of v, repeated along the row.</summary>
    internal static int RowMean(GraphBuilder g, int v) =>
        VjpRules.AlongRows(g, g.Multiply(g.Constant(1.0 / g[v].Shape.Last), g.SumLast(v)), v);
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẋ̂ = J·ẋ.</summary>
    internal static int? LayerNorm(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.LayerNormBackward(y.Id, g.LayerNormScale(y.Inputs[0]), d));

    /// <summary>ṙ = −r²·mean(x̂ ⊙ ẋ) per row.</summary>
    internal static int? LayerNormScale(GraphBuilder g, Node r, int?[] t)
    {
        int x = r.Inputs[0], d = g[x].Shape.Last;
        return Map(t[0], u => g.Multiply(g.Constant(-1.0 / d), g.Multiply(g.Multiply(r.Id, r.Id), g.SumLast(g.Multiply(g.LayerNorm(x), u)))));
    }

    /// <summary>y = r·h(x̂, c): ẏ = −r ⊙ (x̂̇ ⊙ E(c⊙x̂) + x̂ ⊙ E(c⊙x̂̇)) + ṙ ⊙ y / r + J·ċ.</summary>
    internal static int? LayerNormBackward(GraphBuilder g, Node y, int?[] t)
    {
        int normalised = y.Inputs[0], scale = y.Inputs[1], c = y.Inputs[2];
        int r = VjpRules.AlongRows(g, scale, c);
        int? alongNormalised = Map(t[0], u => g.Negate(g.Multiply(r, g.Add(
            g.Multiply(u, VjpRules.RowMean(g, g.Multiply(c, normalised))),
            g.Multiply(normalised, VjpRules.RowMean(g, g.Multiply(c, u)))))));
        int? alongScale = Map(t[1], s => g.Multiply(VjpRules.AlongRows(g, g.Divide(s, scale), c), y.Id));
        return Sum(g, Sum(g, alongNormalised, alongScale), Map(t[2], d => g.LayerNormBackward(normalised, scale, d)));
    }
}
