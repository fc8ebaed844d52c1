using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// The C# text of each element-wise op, as a scalar <c>float</c> expression and as a
/// <c>Vector256&lt;float&gt;</c> expression: the renderings of its <see cref="OpDefinition"/>
/// (a table, like tinygrad's <c>code_for_op</c>, in Ops/OpTable.Elementwise.cs).
/// </summary>
internal static class ElementwiseOps
{
    /// <summary>The scalar expression of <paramref name="op"/> over operand texts <paramref name="a"/>.</summary>
    public static string Scalar(OpKind op, string[] a) => OpDefinition.RequireRendering(op, OpTable.Of(op).CSharpScalar, a);

    /// <summary>The <c>Vector256&lt;float&gt;</c> expression of <paramref name="op"/> over operand texts <paramref name="a"/>.</summary>
    public static string Vector(OpKind op, string[] a) => OpDefinition.RequireRendering(op, OpTable.Of(op).CSharpVector, a);
}
