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
/// <c>[AdaptiveAvgPool2d(size)]</c> or <c>[AdaptiveAvgPool2d(oh, ow)]</c> over images [C, H, W] and
/// <c>[AdaptiveAvgPool1d(size)]</c> over sequences [C, L] (a one-row image): nn.AdaptiveAvgPool2d and
/// nn.AdaptiveAvgPool1d, the mean of each of oh×ow windows that cover the image; likewise
/// <c>[AdaptiveMaxPool2d]</c> and <c>[AdaptiveMaxPool1d]</c>, the largest value of each (the gradient
/// to the first largest in row-major order). No parameters. PyTorch's windows are rows ⌊i·H/oh⌋ to
/// ⌈(i+1)·H/oh⌉ − 1 (columns likewise). An average to 1×1 (global average pooling) is the mean of
/// each channel; an output that divides the input is pooling with a window and stride of H/oh by
/// W/ow (the windows then tile the image exactly); other sizes have uneven windows, which vary in
/// size and may overlap: one direct adaptive pooling op.
/// </summary>
internal sealed record AdaptivePoolingLayer(bool Max, bool OneDimensional, int OutputHeight, int OutputWidth) : LayerKind
{
    public override string Name => (Max ? "AdaptiveMaxPool" : "AdaptiveAvgPool") + (OneDimensional ? "1d" : "2d");

    public override bool HasParameters => false;

    public static LayerKind? Parse(LayerAttributeReader a) => Parse2d(a, false);

    public static LayerKind? ParseMax2d(LayerAttributeReader a) => Parse2d(a, true);

    public static LayerKind? ParseAverage1d(LayerAttributeReader a) => a.TryPositive(0, out int length) ? new AdaptivePoolingLayer(false, true, 1, length) : null;

    public static LayerKind? ParseMax1d(LayerAttributeReader a) => a.TryPositive(0, out int length) ? new AdaptivePoolingLayer(true, true, 1, length) : null;

    private static LayerKind? Parse2d(LayerAttributeReader a, bool max)
    {
        if (!a.TryPositive(0, out int height))
            return null;
        int width = height;
        if (a.PositionalCount > 1 && !a.TryPositive(1, out width))
            return null;
        return new AdaptivePoolingLayer(max, false, height, width);
    }

    /// <summary>
    /// An average to 1×1: (1/(H·W))·Σ over each channel's pixels. An output that divides the image:
    /// the max or average pooling of the divided window. Else <see cref="OpKind.AdaptiveMaxPool"/>
    /// (the input as its own scores) or <see cref="OpKind.AdaptiveAvgPool"/>. A sequence [C, L] is
    /// pooled as the image [C, 1, L] and its result [C, 1, OL] read as [C, OL].
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != (OneDimensional ? 2 : 3))
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'",
                OneDimensional ? "a sequence [C, L]" : "an image [C, H, W]", shape);
        lowering.MarkCalled(layer);
        Shape image = ImageOf(shape);
        int source = OneDimensional ? g.Reshape(x, image) : x;
        int pooled = Pool(g, source, image);
        return new TensorValue(OneDimensional ? g.Reshape(pooled, Shape.Of(shape[0], OutputWidth)) : pooled);
    }

    private int Pool(GraphBuilder g, int x, Shape image)
    {
        int channels = image[0], pixels = image[1] * image[2];
        if (!Max && OutputHeight == 1 && OutputWidth == 1)
        {
            int sum = g.SumLast(g.Reshape(x, Shape.Of(channels, pixels)));
            return g.Reshape(g.Multiply(g.Constant(1.0 / pixels), sum), Shape.Of(channels, 1, 1));
        }
        if (Divides(image))
            return PoolingLayer.Pool(g, x, Max, DividedWindow(image));
        return Max ? g.AdaptiveMaxPool(x, x, OutputHeight, OutputWidth) : g.AdaptiveAvgPool(x, OutputHeight, OutputWidth);
    }

    /// <summary>The input as an image: [C, L] is [C, 1, L].</summary>
    private Shape ImageOf(Shape input) => OneDimensional ? Shape.Of(input[0], 1, input[1]) : input;

    /// <summary>Whether the output divides the image, so that the windows tile it: plain pooling.</summary>
    private bool Divides(Shape image) => image[1] % OutputHeight == 0 && image[2] % OutputWidth == 0;

    /// <summary>The window and stride of H/oh by W/ow that tile an image the output divides.</summary>
    private ConvolutionGeometry DividedWindow(Shape image)
    {
        int kh = image[1] / OutputHeight, kw = image[2] / OutputWidth;
        return new ConvolutionGeometry(kh, kw, kh, kw, 0, 0, 1, 1);
    }

    /// <summary>PyTorch's window i of n along an axis of <paramref name="size"/>: its start ⌊i·size/n⌋ and length ⌈(i+1)·size/n⌉ − start.</summary>
    internal static (int Start, int Length) Window(int i, int n, int size)
    {
        int start = i * size / n, end = ((i + 1) * size + n - 1) / n;
        return (start, end - start);
    }

    /// <summary>
    /// ONNX's GlobalAveragePool or GlobalMaxPool for an output of one, AveragePool or MaxPool with the
    /// divided window as kernel and stride, or (uneven windows, which ONNX has no operator for) a
    /// ReduceMean or ReduceMax of each window's slice, joined.
    /// </summary>
    public override OnnxLayerRule? Onnx => (onnx, call) =>
    {
        Shape image = ImageOf(onnx[call.Input].Shape);
        if (OutputHeight == 1 && OutputWidth == 1)
            return Max ? OnnxLayerRules.GlobalMaxPool(onnx, call) : OnnxLayerRules.GlobalAveragePool(onnx, call);
        if (!Divides(image))
            return OnnxLayerRules.AdaptivePool(onnx, call, Max, OneDimensional ? null : OutputHeight, OutputWidth);
        return Max
            ? OnnxLayerRules.MaxPool(onnx, call, DividedWindow(image), OneDimensional)
            : OnnxLayerRules.AveragePool(onnx, call, DividedWindow(image), OneDimensional);
    };

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        if (OneDimensional)
        {
            OpenEagerBody(w, layer, $"// [{Name}({OutputWidth})] {layer.MethodName}: [C, L] -> [C, {OutputWidth}], run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(OutputWidth)});");
        }
        else
        {
            OpenEagerBody(w, layer, $"// [{Name}({OutputHeight}, {OutputWidth})] {layer.MethodName}: [C, H, W] -> [C, {OutputHeight}, {OutputWidth}], run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(OutputHeight)}, {Literals.Int(OutputWidth)});");
        }
        w.Unindent();
    }
}
