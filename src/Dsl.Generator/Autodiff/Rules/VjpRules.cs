using System;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Autodiff.Rules;

/// <summary>
/// A vector-Jacobian product: given the builder, a primal node and the cotangent of its output,
/// the cotangent of each input (null where the input gets none). Rules build IR with the same
/// builder as the forward pass, so the backward graph is fused and emitted like any other.
/// </summary>
internal delegate int?[] Vjp(GraphBuilder g, Node node, int cotangent);

/// <summary>
/// The reverse-mode rules that are more than one line, in files by family (Linear, MatMul,
/// Rowwise, Normalization, Movement, Where, Scalar); <see cref="OpTable"/> says which op uses which.
/// </summary>
internal static partial class VjpRules
{
    /// <summary>The rule for <paramref name="op"/>, from its definition; throws for an op without one (a leaf).</summary>
    public static Vjp For(OpKind op) =>
        OpTable.Of(op).Vjp ?? throw new ArgumentOutOfRangeException(nameof(op), op, "a leaf has no derivative rule");
}
