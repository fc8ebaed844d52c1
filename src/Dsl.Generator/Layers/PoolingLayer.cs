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
/// <c>[MaxPool2d(k, Stride, Padding)]</c> and <c>[AvgPool2d(...)]</c> over images [C, H, W]
/// (a window of (kh, kw) and per-axis <c>StrideHeight</c>, <c>PaddingWidth</c>, ... allowed):
/// nn.MaxPool2d and nn.AvgPool2d (count_include_pad), no parameters. Lowered as im2col, each row
/// viewed as [C, kh·kw], reduced over its windows.
/// </summary>
internal sealed record PoolingLayer(bool Max, ConvolutionGeometry Window) : LayerKind
{
    // Added to the padding's taps before the maximum is chosen, so a real pixel always wins.
    private const double PaddingPenalty = -1e30;

    public override string Name => Max ? "MaxPool2d" : "AvgPool2d";

    public override bool HasParameters => false;

    public static LayerKind? ParseMax(LayerAttributeReader a) => Parse(a, true);

    public static LayerKind? ParseAverage(LayerAttributeReader a) => Parse(a, false);

    private static LayerKind? Parse(LayerAttributeReader a, bool max)
    {
        if (ConvolutionWindow.Read(a, 0, strideIsKernel: true, dilation: false) is not { } window)
            return null;
        // PyTorch's rule, which keeps every window over at least one real pixel.
        if (window.PadHeight > window.KernelHeight / 2)
            return BadPadding(a, window.PadHeight, window.KernelHeight, a.HasNamed("PaddingHeight") ? "PaddingHeight" : "Padding");
        if (window.PadWidth > window.KernelWidth / 2)
            return BadPadding(a, window.PadWidth, window.KernelWidth, a.HasNamed("PaddingWidth") ? "PaddingWidth" : "Padding");
        return new PoolingLayer(max, window);
    }

    private static LayerKind? BadPadding(LayerAttributeReader a, int padding, int kernel, string name)
    {
        a.Report(DiagnosticDescriptors.InvalidWindowArgument, name, padding, a.Display, "at most half the kernel (" + kernel / 2 + ")");
        return null;
    }

    /// <summary>
    /// rows = im2col(x) as [OH·OW, C, kh·kw]; the average is their sum over kh·kw; the maximum is the
    /// sum of rows ⊙ ArgMaxMask(rows) (with the padding's taps pushed down first), so the gradient
    /// reaches the first maximum only.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != 3)
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", "an image [C, H, W]", shape);
        if (ConvolutionWindow.Misfit(lowering, call, shape, Window) is { } error)
            return error;
        lowering.MarkCalled(layer);
        return new TensorValue(Pool(g, x, Max, Window));
    }

    /// <summary>x [C, H, W] pooled over the windows of <paramref name="window"/>: [C, OH, OW].</summary>
    internal static int Pool(GraphBuilder g, int x, bool max, ConvolutionGeometry window)
    {
        Shape shape = g[x].Shape;
        int channels = shape[0], oh = window.OutputHeight(shape[1]), ow = window.OutputWidth(shape[2]);
        int taps = window.KernelHeight * window.KernelWidth;
        Shape windows = Shape.Of(oh * ow, channels, taps);
        int rows = g.Reshape(g.Im2Col(x, window), windows);
        int pooled;
        if (max)
        {
            int scores = rows;
            if (window.PadHeight > 0 || window.PadWidth > 0)
            {
                // 1 at a real pixel's tap and 0 at the padding's, from an image of ones.
                int real = g.Reshape(g.Im2Col(g.Broadcast(g.Constant(1), shape), window), windows);
                scores = g.Add(rows, g.Multiply(g.Constant(-PaddingPenalty), g.Subtract(real, g.Constant(1))));
            }
            pooled = g.SumLast(g.Multiply(g.ArgMaxMask(scores), rows));
        }
        else
        {
            pooled = g.Multiply(g.Constant(1.0 / taps), g.SumLast(rows));
        }
        return g.Reshape(g.Transpose(pooled, 0, 1), Shape.Of(channels, oh, ow));
    }

    /// <summary>ONNX's MaxPool, or AveragePool counting the padding (PyTorch's count_include_pad).</summary>
    public override OnnxLayerRule? Onnx => Max
        ? (onnx, call) => OnnxLayerRules.MaxPool(onnx, call, Window)
        : (onnx, call) => OnnxLayerRules.AveragePool(onnx, call, Window);

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        ConvolutionGeometry s = Window;
        if (s.IsSquare)
        {
            OpenEagerBody(w, layer, $"// [{Name}({s.KernelHeight}, Stride = {s.StrideHeight}, Padding = {s.PadHeight})] {layer.MethodName}: [C, H, W] -> [C, OH, OW], run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(s.KernelHeight)}, {Literals.Int(s.StrideHeight)}, {Literals.Int(s.PadHeight)});");
        }
        else
        {
            OpenEagerBody(w, layer, $"// [{Name}({s.KernelHeight}, {s.KernelWidth}, Stride = {s.StrideHeight}x{s.StrideWidth}, Padding = {s.PadHeight}x{s.PadWidth})] {layer.MethodName}: [C, H, W] -> [C, OH, OW], run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(s.KernelHeight)}, {Literals.Int(s.KernelWidth)}, {Literals.Int(s.StrideHeight)}, {Literals.Int(s.StrideWidth)}, {Literals.Int(s.PadHeight)}, {Literals.Int(s.PadWidth)});");
        }
        w.Unindent();
    }
}
