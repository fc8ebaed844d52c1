using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Concatenation and slicing are each other's transpose (a slice's cotangent is padded back with
// zeros). Slice and the other one-input movement ops are declared linear in Ops/OpTable.Movement.cs;
// Concat takes many inputs, so it keeps its rules here.
internal static partial class VjpRules
{
    /// <summary>y = cat(x₀, x₁, …): x̄ᵢ = ȳ's slice where xᵢ was put.</summary>
    internal static int?[] Concat(GraphBuilder g, Node y, int dy)
    {
        int axis = y.Attributes[0], start = 0;
        var cotangents = new int?[y.Inputs.Count];
        for (int i = 0; i < y.Inputs.Count; i++)
        {
            int length = g[y.Inputs[i]].Shape[axis];
            cotangents[i] = g.Slice(dy, axis, start, length);
            start += length;
        }
        return cotangents;
    }

    /// <summary>A slice's cotangent or tangent put back in the input's place, zeros elsewhere.</summary>
    internal static int PadSlice(GraphBuilder g, Node y, int d)
    {
        int axis = y.Attributes[0], start = y.Attributes[1], length = y.Attributes[2];
        Shape input = g[y.Inputs[0]].Shape;
        Shape Part(int n)
        {
            int[] dims = input.Dimensions.ToArray();
            dims[axis] = n;
            return Shape.Of(dims);
        }
        var parts = new System.Collections.Generic.List<int>();
        if (start > 0) parts.Add(g.Zeros(Part(start)));
        parts.Add(d);
        int after = input[axis] - start - length;
        if (after > 0) parts.Add(g.Zeros(Part(after)));
        return g.Concat(axis, parts.ToArray());
    }
}

// Forward mode: concatenation applies itself to the tangents.
internal static partial class JvpRules
{
    /// <summary>ẏ = cat(ẋ₀, ẋ₁, …), a zero tangent a block of zeros.</summary>
    internal static int? Concat(GraphBuilder g, Node y, int?[] t)
    {
        if (t.All(d => d is null)) return null;
        return g.Concat(y.Attributes[0], y.Inputs.Select((x, i) => t[i] ?? g.Zeros(g[x].Shape)).ToArray());
    }
}
