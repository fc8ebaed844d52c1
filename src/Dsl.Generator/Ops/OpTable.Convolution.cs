using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using static Dsl.Generator.Fusion.KernelRules;

namespace Dsl.Generator.Ops;

// Issue 19: convolution and pooling. A convolution is Im2Col (the receptive fields as rows), a
// Linear over the rows and a transpose back to channels first, so its weight's gradient is the
// Linear's and its input's is Col2Im, Im2Col's transpose. Pooling reduces each row's windows:
// average pooling sums them, max pooling multiplies them by ArgMaxMask (the first maximum, no
// gradient of its own; the axis reductions' op) and sums, so the gradient goes to one maximum as
// PyTorch's does.
internal static partial class OpTable
{
    private static OpDefinition[] Convolution() => new[]
    {
        OpDefinition.Linear(OpKind.Im2Col, 1, (y, x) => ShapeRules.Im2Col(x[0], ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.Im2Col(d, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.Col2Im(d, g[y.Inputs[0]].Shape, ConvolutionGeometry.Of(y)))
            .WithKernel((g, y) => ConvolutionCall(KernelId.Im2Col, y, g[y.Inputs[0]].Shape))
            .ToOnnx(OnnxRules.Im2Col),

        OpDefinition.Linear(OpKind.Col2Im, 1, (y, x) => ShapeRules.Col2Im(x[0], y.Shape, ConvolutionGeometry.Of(y)),
            apply: (g, y, d) => g.Col2Im(d, y.Shape, ConvolutionGeometry.Of(y)),
            transpose: (g, y, d) => g.Im2Col(d, ConvolutionGeometry.Of(y)))
            .WithKernel((g, y) => ConvolutionCall(KernelId.Col2Im, y, y.Shape)),

        // The fused per-example convolution: y = W·im2col(x)ᵀ channels first and
        // its two partial transposes, each one library call that keeps one example's receptive
        // fields in cache (rules in Autodiff/Rules/Convolution.cs).
        OpDefinition.Of(OpKind.Convolution, 2, (y, x) => ShapeRules.Convolution(x[0], x[1], ConvolutionGeometry.Of(y)), VjpRules.Convolution, JvpRules.Convolution)
            .WithKernel(FusedConvolution)
            .ToOnnx(OnnxRules.Convolution),
        OpDefinition.Of(OpKind.ConvolutionInputGrad, 2, (y, x) => ShapeRules.ConvolutionInputGrad(x[0], x[1], y.Shape, ConvolutionGeometry.Of(y)),
                VjpRules.ConvolutionInputGrad, JvpRules.ConvolutionInputGrad)
            .WithKernel(FusedConvolution),
        OpDefinition.Of(OpKind.ConvolutionWeightGrad, 2, (y, x) => ShapeRules.ConvolutionWeightGrad(x[0], x[1], ConvolutionGeometry.Of(y)),
                VjpRules.ConvolutionWeightGrad, JvpRules.ConvolutionWeightGrad)
            .WithKernel(FusedConvolution),
    };
}
