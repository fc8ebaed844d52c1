using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// The linear algebra (GEMMs; bilinear, so each keeps a product rule in Autodiff/Rules/Linear.cs
// and MatMul.cs) and the row ops over the last axis (rules in Autodiff/Rules/Rowwise.cs and
// Normalization.cs). Their kernels are library calls, not fused loops, so they have no renderings
// but a kernel rule: the call, its sizes (rows of the input, its last axis) and operands; the
// longer rules are in Fusion/KernelRules.cs. The ONNX column exports the forward ops; the losses and
// metrics (CrossEntropy, Accuracy, OneHot) and the backward-only ops have none, so a [Forward] that
// returns one cannot be exported (docs/onnx.md).
internal static partial class OpTable
{
    private static OpDefinition[] LinearAlgebra() => new[]
    {
        OpDefinition.Of(OpKind.Linear, 2, (y, x) => ShapeRules.Linear(x[0], x[1]), VjpRules.Linear, JvpRules.Linear)
            .WithKernel(Linear)
            .ToOnnx(OnnxRules.Linear) with { Display = "Dense" },
        OpDefinition.Of(OpKind.LinearTranspose, 2, (y, x) => ShapeRules.LinearTranspose(x[0], x[1]), VjpRules.LinearTranspose, JvpRules.LinearTranspose)
            .WithKernel(LinearTranspose)
            .ToOnnx((onnx, y) => onnx.Op("MatMul", new[] { onnx.Value(y.Inputs[1]), onnx.Value(y.Inputs[0]) })),
        OpDefinition.Of(OpKind.OuterBatchSum, 2, (y, x) => ShapeRules.OuterBatchSum(x[0], x[1]), VjpRules.OuterBatchSum, JvpRules.OuterBatchSum)
            .WithKernel(OuterBatchSum),
        OpDefinition.Of(OpKind.MatMul, 2, (y, x) => ShapeRules.MatMul(x[0], x[1], y.Attributes[0] != 0, y.Attributes[1] != 0), VjpRules.MatMul, JvpRules.MatMul)
            .WithKernel(MatMul)
            .ToOnnx(OnnxRules.MatMul),
    };

    private static OpDefinition[] Rows() => new[]
    {
        OpDefinition.Of(OpKind.Softmax, 1, (y, x) => ShapeRules.Rowwise(y.Op, x[0]), VjpRules.Softmax, JvpRules.Softmax)
            .WithKernel((g, y) => Call(KernelId.Softmax, y, RowsOf(y), InputLastOf(g, y)))
            .ToOnnx((onnx, y) => onnx.Op("Softmax", onnx.Value(y.Inputs[0]), OnnxAttr.Int("axis", -1))),
        OpDefinition.Of(OpKind.LogSoftmax, 1, (y, x) => ShapeRules.Rowwise(y.Op, x[0]), VjpRules.LogSoftmax, JvpRules.LogSoftmax)
            .WithKernel((g, y) => Call(KernelId.LogSoftmax, y, RowsOf(y), InputLastOf(g, y)))
            .ToOnnx((onnx, y) => onnx.Op("LogSoftmax", onnx.Value(y.Inputs[0]), OnnxAttr.Int("axis", -1))),
        // Softmax's rules: y ⊙ (ȳ − Σ ȳ⊙y) is zero where y is masked.
        OpDefinition.Of(OpKind.CausalSoftmax, 1, (y, x) => ShapeRules.CausalSoftmax(x[0]), VjpRules.Softmax, JvpRules.Softmax)
            .WithKernel((g, y) => Call(KernelId.CausalSoftmax, y, RowsOf(y), InputLastOf(g, y)))
            .ToOnnx(OnnxRules.CausalSoftmax),
        OpDefinition.Of(OpKind.CrossEntropy, 2, (y, x) => ShapeRules.CrossEntropy(x[0], x[1]), VjpRules.CrossEntropy, JvpRules.CrossEntropy)
            .WithKernel((g, y) => Call(KernelId.CrossEntropy, y, InputRowsOf(g, y), InputLastOf(g, y))),
        OpDefinition.Of(OpKind.CrossEntropyGrad, 3, (y, x) => ShapeRules.CrossEntropyGrad(x[0], x[1], x[2]), VjpRules.CrossEntropyGrad, JvpRules.CrossEntropyGrad)
            .WithKernel(CrossEntropyBackward),
        OpDefinition.Constant(OpKind.OneHot, 1, (y, x) => ShapeRules.OneHot(x[0], y.Shape.Last), carriesGradient: false)
            .WithKernel((g, y) => Call(KernelId.OneHot, y, RowsOf(y), Fixed(y.Shape.Last))),
        OpDefinition.Constant(OpKind.Accuracy, 2, (y, x) => ShapeRules.Accuracy(x[0], x[1]), carriesGradient: false)
            .WithKernel((g, y) => Call(KernelId.Accuracy, y, InputRowsOf(g, y), InputLastOf(g, y))),
        OpDefinition.Of(OpKind.LayerNorm, 1, (y, x) => ShapeRules.LayerNorm(y.Op, x[0]), VjpRules.LayerNorm, JvpRules.LayerNorm)
            .WithKernel((g, y) => Call(KernelId.LayerNorm, y, InputRowsOf(g, y), InputLastOf(g, y)) with { Epsilon = KernelCallPlanner.LayerNormEpsilon })
            .ToOnnx(OnnxRules.LayerNorm),
        OpDefinition.Of(OpKind.LayerNormScale, 1, (y, x) => ShapeRules.LayerNorm(y.Op, x[0]), VjpRules.LayerNormScale, JvpRules.LayerNormScale)
            .WithKernel((g, y) => Call(KernelId.LayerNormInverseDeviation, y, InputRowsOf(g, y), InputLastOf(g, y)) with { Epsilon = KernelCallPlanner.LayerNormEpsilon }),
        OpDefinition.Of(OpKind.LayerNormBackward, 3, (y, x) => ShapeRules.LayerNormBackward(x[0], x[1], x[2]), VjpRules.LayerNormBackward, JvpRules.LayerNormBackward)
            .WithKernel(LayerNormBackward),

        // ---- Issue 22 (ops): the first maximum of each row (Max, Min, ArgMax, LogSumExp lower onto them) ----
        OpDefinition.Constant(OpKind.ArgMaxLast, 1, (y, x) => ShapeRules.ArgMaxLast(x[0]), carriesGradient: false)
            .WithKernel((g, y) => Call(KernelId.ArgMax, y, InputRowsOf(g, y), InputLastOf(g, y)))
            .ToOnnx(OnnxRules.ArgMaxLast),
        OpDefinition.Constant(OpKind.ArgMaxMask, 1, (y, x) => ShapeRules.ArgMaxMask(x[0]), carriesGradient: false)
            .WithKernel((g, y) => Call(KernelId.ArgMaxMask, y, InputRowsOf(g, y), InputLastOf(g, y)))
            .ToOnnx(OnnxRules.ArgMaxMask),

        // ---- Issue 22 (ops): torch.gather along the last axis (linear in x) and its transpose (linear in g) ----
        OpDefinition.Linear(OpKind.GatherLast, 2, (y, x) => ShapeRules.GatherLast(x[0], x[1]),
            apply: (g, y, d) => g.GatherLast(d, y.Inputs[1]),
            transpose: (g, y, d) => g.ScatterLast(y.Inputs[1], d, g[y.Inputs[0]].Shape.Last))
            .WithKernel((g, y) => Call(KernelId.GatherLast, y, RowsOf(y), InputLastOf(g, y), Fixed(y.Shape.Last)))
            .ToOnnx(OnnxRules.GatherLast),
        OpDefinition.Linear(OpKind.ScatterLast, 2, (y, x) => ShapeRules.ScatterLast(x[0], x[1], y.Shape.Last),
            apply: (g, y, d) => g.ScatterLast(y.Inputs[0], d, y.Shape.Last),
            transpose: (g, y, d) => g.GatherLast(d, y.Inputs[0]),
            operand: 1)
            .WithKernel((g, y) => Call(KernelId.ScatterLast, y, RowsOf(y), Fixed(y.Shape.Last), InputLastOf(g, y))),
    };
}
