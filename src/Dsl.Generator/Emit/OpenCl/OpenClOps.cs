using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// The OpenCL C text of each element-wise op as a scalar <c>float</c> expression: the rendering
/// of its <see cref="OpDefinition"/> (Ops/OpTable.Elementwise.cs; <see cref="CSharp.ElementwiseOps"/>
/// reads the C# ones), and which helper functions a kernel must include for it.
/// </summary>
internal static class OpenClOps
{
    /// <summary>The scalar expression of <paramref name="op"/> over operand texts <paramref name="a"/>.</summary>
    public static string Scalar(OpKind op, string[] a) => OpDefinition.RequireRendering(op, OpTable.Of(op).OpenCl, a);

    /// <summary>Whether an op calls a helper function of <see cref="Library.MathFunctions"/>.</summary>
    public static bool NeedsGelu(OpKind op) => op is OpKind.Gelu or OpKind.GeluDerivative;

    /// <summary>Whether an op calls <see cref="Library.DropoutKernels.Functions"/>' <c>dsl_dropout</c>.</summary>
    public static bool NeedsDropout(OpKind op) => op == OpKind.Dropout;
}
