using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Dropout, y = x · m / (1 − p) with m a fixed mask of the (seed, site, step) stream: a diagonal
// linear map, so its VJP and JVP apply the same mask to the cotangent or tangent. The derived node
// keeps the forward's p and site, so it recomputes the mask rather than storing it.
internal static partial class VjpRules
{
    /// <summary>x̄ = ȳ · m / (1 − p).</summary>
    private static int?[] Dropout(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Dropout(dy, y.Constant, int.Parse(y.Name!, System.Globalization.CultureInfo.InvariantCulture)) };
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẏ = ẋ · m / (1 − p).</summary>
    private static int? Dropout(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Dropout(d, y.Constant, int.Parse(y.Name!, System.Globalization.CultureInfo.InvariantCulture)));
}
