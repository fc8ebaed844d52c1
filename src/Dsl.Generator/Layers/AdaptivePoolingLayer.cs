using System;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// <c>[AdaptiveAvgPool2d(size)]</c> or <c>[AdaptiveAvgPool2d(oh, ow)]</c> over images [C, H, W]:
/// nn.AdaptiveAvgPool2d, the mean of each of oh×ow windows that tile the image, no parameters.
/// An output of 1×1 (global average pooling) is the mean of each channel; an output that divides
/// the input is average pooling with a window and stride of H/oh by W/ow (PyTorch's windows then
/// tile the image exactly). Other sizes, whose windows overlap unevenly, are DSL0133.
/// </summary>
internal sealed record AdaptivePoolingLayer(int OutputHeight, int OutputWidth) : LayerKind
{
    public override string Name => "AdaptiveAvgPool2d";

    public override bool HasParameters => false;

    public static LayerKind? Parse(LayerAttributeReader a)
    {
        if (!a.TryPositive(0, out int height))
            return null;
        int width = height;
        if (a.PositionalCount > 1 && !a.TryPositive(1, out width))
            return null;
        return new AdaptivePoolingLayer(height, width);
    }

    /// <summary>1×1: (1/(H·W))·Σ over each channel's pixels. Else the average pooling of the divided window.</summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != 3)
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", "an image [C, H, W]", shape);
        if (shape[1] % OutputHeight != 0 || shape[2] % OutputWidth != 0)
            return lowering.Report(DiagnosticDescriptors.AdaptiveOutputDoesNotDivide, call.Arguments[0].Location,
                OutputHeight + "x" + OutputWidth, "[" + Name + "] " + layer.MethodName, shape, shape[1] + "x" + shape[2]);
        lowering.MarkCalled(layer);
        int channels = shape[0], pixels = shape[1] * shape[2];
        if (OutputHeight == 1 && OutputWidth == 1)
        {
            int sum = g.SumLast(g.Reshape(x, Shape.Of(channels, pixels)));
            return new TensorValue(g.Reshape(g.Multiply(g.Constant(1.0 / pixels), sum), Shape.Of(channels, 1, 1)));
        }
        int kh = shape[1] / OutputHeight, kw = shape[2] / OutputWidth;
        return new TensorValue(PoolingLayer.Pool(g, x, false, new ConvolutionGeometry(kh, kw, kh, kw, 0, 0, 1, 1)));
    }

    /// <summary>ONNX's GlobalAveragePool for 1×1, else AveragePool with the divided window as kernel and stride.</summary>
    public override OnnxLayerRule? Onnx => (onnx, call) =>
    {
        Shape input = onnx[call.Input].Shape;
        if (OutputHeight == 1 && OutputWidth == 1)
            return OnnxLayerRules.GlobalAveragePool(onnx, call);
        int kh = input[1] / OutputHeight, kw = input[2] / OutputWidth;
        return OnnxLayerRules.AveragePool(onnx, call, new ConvolutionGeometry(kh, kw, kh, kw, 0, 0, 1, 1));
    };

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        OpenEagerBody(w, layer, $"// [{Name}({OutputHeight}, {OutputWidth})] {layer.MethodName}: [C, H, W] -> [C, {OutputHeight}, {OutputWidth}], run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(OutputHeight)}, {Literals.Int(OutputWidth)});");
        w.Unindent();
    }
}
