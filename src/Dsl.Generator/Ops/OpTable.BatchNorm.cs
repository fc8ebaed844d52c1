using Dsl.Generator.Checking;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// Issue 19: BatchNorm is lowered onto sums over the batch and element-wise ops, so its
// derivatives are theirs; the one thing those ops cannot say is the batch size, which a batch
// mean divides by. BatchCountScale divides by it (times the values per example, plus an offset for
// the unbiased variance), a diagonal scaling and therefore linear and its own transpose.
internal static partial class OpTable
{
    private static OpDefinition[] BatchNorm() => new[]
    {
        OpDefinition.Linear(OpKind.BatchCountScale, 1, (y, x) => ShapeRules.BatchCountScale(x[0]),
            apply: (g, y, d) => g.BatchCountScale(d, y.Attributes[0], y.Attributes[1], y.Name!),
            transpose: (g, y, d) => g.BatchCountScale(d, y.Attributes[0], y.Attributes[1], y.Name!))
            .WithKernel((g, y) => Call(KernelId.BatchCountScale, y,
                KernelSize.Of(y.Shape.Size, y.Batched), KernelSize.PerExample(1), Fixed(y.Attributes[0]), Fixed(y.Attributes[1])))
            .ToOnnx(Emit.Onnx.OnnxRules.BatchCountScale), // issue 19, onnxconv: a BatchNorm without running statistics in Predict
    };
}
