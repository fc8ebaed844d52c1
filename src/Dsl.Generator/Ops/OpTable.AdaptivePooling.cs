using Dsl.Generator.Checking;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// Issue 19: adaptive pooling over PyTorch's windows (start ⌊i·H/OH⌋, end ⌈(i+1)·H/OH⌉), which vary
// in size and overlap where the output does not divide the image, as one direct op each way where
// slices, sums and joins were. As MaxPool and AvgPool: adaptive max pooling is linear in the values
// it picks (the scores only choose which), so it and its backward are each other's transposes with
// the scores held and the gradient goes to the first maximum; adaptive average pooling is linear
// with its backward as its transpose. Attributes: the output's (OH, OW).
internal static partial class OpTable
{
    private static OpDefinition[] AdaptivePooling() => new[]
    {
        OpDefinition.Linear(OpKind.AdaptiveMaxPool, 2, (y, x) => ShapeRules.AdaptiveMaxPool(x[0], x[1], y.Attributes[0], y.Attributes[1]),
            apply: (g, y, d) => g.AdaptiveMaxPool(y.Inputs[0], d, y.Attributes[0], y.Attributes[1]),
            transpose: (g, y, d) => g.AdaptiveMaxPoolBackward(y.Inputs[0], d),
            operand: 1)
            .WithKernel((g, y) => ConvolutionCall(Fusion.KernelId.AdaptiveMaxPool, y, g[y.Inputs[0]].Shape)),

        OpDefinition.Linear(OpKind.AdaptiveMaxPoolBackward, 2, (y, x) => ShapeRules.AdaptivePoolBackward(x[1], x[0].Shape, x[0].Batched),
            apply: (g, y, d) => g.AdaptiveMaxPoolBackward(y.Inputs[0], d),
            transpose: (g, y, d) => g.AdaptiveMaxPool(y.Inputs[0], d, y.Attributes[0], y.Attributes[1]),
            operand: 1)
            .WithKernel((g, y) => ConvolutionCall(Fusion.KernelId.AdaptiveMaxPoolBackward, y, y.Shape)),

        OpDefinition.Linear(OpKind.AdaptiveAvgPool, 1, (y, x) => ShapeRules.AdaptiveAvgPool(x[0], y.Attributes[0], y.Attributes[1]),
            apply: (g, y, d) => g.AdaptiveAvgPool(d, y.Attributes[0], y.Attributes[1]),
            transpose: (g, y, d) => g.AdaptiveAvgPoolBackward(d, g[y.Inputs[0]].Shape))
            .WithKernel((g, y) => ConvolutionCall(Fusion.KernelId.AdaptiveAvgPool, y, g[y.Inputs[0]].Shape)),

        OpDefinition.Linear(OpKind.AdaptiveAvgPoolBackward, 1, (y, x) => ShapeRules.AdaptivePoolBackward(x[0], y.Shape, x[0].Batched),
            apply: (g, y, d) => g.AdaptiveAvgPoolBackward(d, y.Shape),
            transpose: (g, y, d) => g.AdaptiveAvgPool(d, y.Attributes[0], y.Attributes[1]))
            .WithKernel((g, y) => ConvolutionCall(Fusion.KernelId.AdaptiveAvgPoolBackward, y, y.Shape)),
    };
}
