using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// y = c ? a : b element-wise (torch.where). The condition is piecewise constant, so it gets no
// cotangent; each branch gets the cotangent where it was chosen and zero elsewhere. A branch that
// was a broadcast scalar has its cotangent summed back by ReverseMode.Unbroadcast.
internal static partial class VjpRules
{
    /// <summary>ā = where(c, ȳ, 0), b̄ = where(c, 0, ȳ).</summary>
    internal static int?[] Where(GraphBuilder g, Node y, int dy)
    {
        int condition = y.Inputs[0], zero = g.Constant(0);
        return new int?[] { null, g.Where(condition, dy, zero), g.Where(condition, zero, dy) };
    }
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẏ = where(c, ȧ, ḃ), a zero tangent 0; a scalar result is broadcast to y's shape.</summary>
    internal static int? Where(GraphBuilder g, Node y, int?[] t)
    {
        if (t[1] is null && t[2] is null) return null;
        int zero = g.Constant(0);
        int tangent = g.Where(y.Inputs[0], t[1] ?? zero, t[2] ?? zero);
        return g[tangent].Shape == y.Shape ? tangent : g.Broadcast(tangent, y.Shape);
    }
}
