using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// The OpenCL C text of each element-wise op as a scalar <c>float</c> expression: the rendering
/// of its <see cref="OpDefinition"/> (Ops/OpTable.Elementwise.cs; <see cref="CSharp.ElementwiseOps"/>
/// reads the C# ones). GELU and dropout call the helpers of the runtime's <c>OpenClKernels.FusedPrelude</c>.
/// </summary>
internal static class OpenClOps
{
    /// <summary>The scalar expression of <paramref name="op"/> over operand texts <paramref name="a"/>.</summary>
    public static string Scalar(OpKind op, string[] a) => OpDefinition.RequireRendering(op, OpTable.Of(op).OpenCl, a);
}
