using System;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Autodiff.Rules;

/// <summary>
/// A Jacobian-vector product: given the builder, a primal node and the tangents of its inputs
/// (null where an input's tangent is zero), the tangent of its output, or null when it is zero.
/// </summary>
internal delegate int? Jvp(GraphBuilder g, Node node, int?[] tangents);

/// <summary>
/// The forward-mode rules that are more than one line, written beside their reverse-mode rules in
/// the files by family; <see cref="OpTable"/> says which op uses which.
/// </summary>
internal static partial class JvpRules
{
    /// <summary>The rule for <paramref name="op"/>, from its definition; throws for an op without one (a leaf).</summary>
    public static Jvp For(OpKind op) =>
        OpTable.Of(op).Jvp ?? throw new ArgumentOutOfRangeException(nameof(op), op, "a leaf has no derivative rule");

    /// <summary>Applies <paramref name="rule"/> to a tangent that is not zero.</summary>
    internal static int? Map(int? tangent, Func<int, int> rule) => tangent is int t ? rule(t) : null;

    /// <summary>The sum of two tangents, either of which may be zero.</summary>
    internal static int? Sum(GraphBuilder g, int? a, int? b) =>
        a is int x ? (b is int y ? g.Add(x, y) : x) : b;
}
