using Dsl.Generator.Checking;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// Issue 19: pooling as direct window reductions of each image [C, H, W], one
// library call each way, where the im2col lowering wrote every window out, masked and summed it,
// and moved the result to channels first. Max pooling is linear in the values it picks (the scores
// only choose which), so MaxPool and MaxPoolBackward are each other's transposes with the scores
// held, and the gradient goes to the first maximum as PyTorch's does; average pooling is linear
// with AvgPoolBackward as its transpose.
internal static partial class OpTable
{
    private static OpDefinition[] Pooling() => new[]
    {
        OpDefinition.Linear(OpKind.MaxPool, 2, (y, x) => ShapeRules.MaxPool(x[0], x[1], ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.MaxPool(y.Inputs[0], d, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.MaxPoolBackward(y.Inputs[0], d, ConvolutionGeometry.Of(y)),
            operand: 1)
            .WithKernel((g, y) => ConvolutionCall(KernelId.MaxPool, y, g[y.Inputs[0]].Shape))
            .ToOnnx(OnnxRules.MaxPool),

        OpDefinition.Linear(OpKind.MaxPoolBackward, 2, (y, x) => ShapeRules.PoolBackward(x[1], x[0].Shape, x[0].Batched, ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.MaxPoolBackward(y.Inputs[0], d, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.MaxPool(y.Inputs[0], d, ConvolutionGeometry.Of(y)),
            operand: 1)
            .WithKernel((g, y) => ConvolutionCall(KernelId.MaxPoolBackward, y, y.Shape)),

        OpDefinition.Linear(OpKind.AvgPool, 1, (y, x) => ShapeRules.AvgPool(x[0], ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.AvgPool(d, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.AvgPoolBackward(d, g[y.Inputs[0]].Shape, ConvolutionGeometry.Of(y)))
            .WithKernel((g, y) => ConvolutionCall(KernelId.AvgPool, y, g[y.Inputs[0]].Shape))
            .ToOnnx(OnnxRules.AveragePool),

        OpDefinition.Linear(OpKind.AvgPoolBackward, 1, (y, x) => ShapeRules.PoolBackward(x[0], y.Shape, x[0].Batched, ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.AvgPoolBackward(d, y.Shape, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.AvgPool(d, ConvolutionGeometry.Of(y)))
            .WithKernel((g, y) => ConvolutionCall(KernelId.AvgPoolBackward, y, y.Shape)),
    };
}
