using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The movement ops only rearrange elements, so each is linear and its transpose is the inverse
// movement: a transpose is its own, a reshape goes back to the input's shape, and concatenation
// and slicing are each other's transpose (a slice's cotangent is padded back with zeros).
internal static partial class VjpRules
{
    /// <summary>y = xᵀ (axes d0, d1): x̄ = ȳᵀ over the same axes.</summary>
    private static int?[] Transpose(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Transpose(dy, y.Attributes[0], y.Attributes[1]) };

    /// <summary>y = reshape(x): x̄ = ȳ under x's shape.</summary>
    private static int?[] Reshape(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Reshape(dy, g[y.Inputs[0]].Shape) };

    /// <summary>y = cat(x₀, x₁, …): x̄ᵢ = ȳ's slice where xᵢ was put.</summary>
    private static int?[] Concat(GraphBuilder g, Node y, int dy)
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

    /// <summary>y = x[start, start + n) along an axis: x̄ = ȳ with zeros before and after it.</summary>
    private static int?[] Slice(GraphBuilder g, Node y, int dy) =>
        new int?[] { PadSlice(g, y, dy) };

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

// Forward mode: each applies itself to the tangent.
internal static partial class JvpRules
{
    private static int? Transpose(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Transpose(d, y.Attributes[0], y.Attributes[1]));

    private static int? Reshape(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Reshape(d, y.Shape));

    /// <summary>ẏ = cat(ẋ₀, ẋ₁, …), a zero tangent a block of zeros.</summary>
    private static int? Concat(GraphBuilder g, Node y, int?[] t)
    {
        if (t.All(d => d is null)) return null;
        return g.Concat(y.Attributes[0], y.Inputs.Select((x, i) => t[i] ?? g.Zeros(g[x].Shape)).ToArray());
    }

    private static int? Slice(GraphBuilder g, Node y, int?[] t) => Map(t[0], d => g.Slice(d, y.Attributes[0], y.Attributes[1], y.Attributes[2]));
}
