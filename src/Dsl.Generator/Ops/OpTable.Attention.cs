using System;
using System.Globalization;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Ops;

// Issue 20, item 3: a training step's multi-head attention as one kernel each way, reading q, k and
// v straight from the fused projection [T, 3d] and writing the heads side by side, with no [H, T, T]
// array of scores or weights: the backward pass recomputes each query row's weights (flash
// attention's trade). The layer builds it only in a [TrainingStep] graph, which reverse mode
// differentiates once: Attention has both rules (its tangent one op at a time, Autodiff/Rules/Attention.cs),
// AttentionBackward none (a second derivative through it is refused with NotSupportedException).
internal static partial class OpTable
{
    private static OpDefinition[] Attention() => new[]
    {
        OpDefinition.Of(OpKind.Attention, 1, (y, x) => ShapeRules.Attention(x[0], y.Attributes[0]),
            vjp: (g, y, dy) => new int?[] { g.AttentionBackward(y.Inputs[0], dy, y.Attributes[0], y.Attributes[1] != 0, y.Constant, SiteOf(y)) },
            jvp: JvpRules.Attention)
            .WithKernel(KernelRules.Attention),

        OpDefinition.Of(OpKind.AttentionBackward, 2, (y, x) => ShapeRules.AttentionBackward(x[0], x[1], y.Attributes[0]),
            vjp: (g, y, dy) => throw Unsupported(y, "a second derivative"),
            jvp: (g, y, t) => throw Unsupported(y, "a tangent"))
            .WithKernel(KernelRules.Attention),
    };

    /// <summary>The dropout site a fused attention node draws its weights' mask from.</summary>
    internal static int SiteOf(Node node) => int.Parse(node.Name!, CultureInfo.InvariantCulture);

    private static NotSupportedException Unsupported(Node node, string what) =>
        new($"{what} of {IrPrinter.OpName(node.Op)} %{node.Id}: a training step's fused attention has only its first reverse-mode derivative");
}
