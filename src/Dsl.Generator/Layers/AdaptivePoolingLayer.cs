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
/// tile the image exactly). Other sizes have PyTorch's uneven windows, rows ⌊i·H/oh⌋ to
/// ⌈(i+1)·H/oh⌉ − 1 (columns likewise), which may overlap: each window's rows are sliced and
/// averaged, the rows joined, then the same along the columns.
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
        lowering.MarkCalled(layer);
        int channels = shape[0], pixels = shape[1] * shape[2];
        if (OutputHeight == 1 && OutputWidth == 1)
        {
            int sum = g.SumLast(g.Reshape(x, Shape.Of(channels, pixels)));
            return new TensorValue(g.Reshape(g.Multiply(g.Constant(1.0 / pixels), sum), Shape.Of(channels, 1, 1)));
        }
        if (!Divides(shape))
            return new TensorValue(AverageWindows(g, AverageWindows(g, x, 1, OutputHeight), 2, OutputWidth));
        int kh = shape[1] / OutputHeight, kw = shape[2] / OutputWidth;
        return new TensorValue(PoolingLayer.Pool(g, x, false, new ConvolutionGeometry(kh, kw, kh, kw, 0, 0, 1, 1)));
    }

    /// <summary>Whether the output divides the image, so that the windows tile it: average pooling.</summary>
    private bool Divides(Shape image) => image[1] % OutputHeight == 0 && image[2] % OutputWidth == 0;

    /// <summary>PyTorch's window i of n along an axis of <paramref name="size"/>: its start ⌊i·size/n⌋ and length ⌈(i+1)·size/n⌉ − start.</summary>
    internal static (int Start, int Length) Window(int i, int n, int size)
    {
        int start = i * size / n, end = ((i + 1) * size + n - 1) / n;
        return (start, end - start);
    }

    /// <summary>
    /// x [C, H, W] averaged over the <paramref name="count"/> windows of axis <paramref name="axis"/>
    /// (1: rows, 2: columns): each window sliced, moved last, summed and scaled by 1/length, kept as an
    /// axis of 1, and the windows joined along the axis.
    /// </summary>
    private static int AverageWindows(GraphBuilder g, int x, int axis, int count)
    {
        Shape shape = g[x].Shape;
        var windows = new int[count];
        for (int i = 0; i < count; i++)
        {
            (int start, int length) = Window(i, count, shape[axis]);
            int slice = g.Slice(x, axis, start, length);
            int sum = g.SumLast(axis == 2 ? slice : g.Transpose(slice, 1, 2));
            Shape kept = axis == 1 ? Shape.Of(shape[0], 1, shape[2]) : Shape.Of(shape[0], shape[1], 1);
            windows[i] = g.Reshape(g.Multiply(g.Constant(1.0 / length), sum), kept);
        }
        return count == 1 ? windows[0] : g.Concat(axis, windows);
    }

    /// <summary>
    /// ONNX's GlobalAveragePool for 1×1, AveragePool with the divided window as kernel and stride, or
    /// (uneven windows, which ONNX has no operator for) a ReduceMean of each window's slice, joined.
    /// </summary>
    public override OnnxLayerRule? Onnx => (onnx, call) =>
    {
        Shape input = onnx[call.Input].Shape;
        if (OutputHeight == 1 && OutputWidth == 1)
            return OnnxLayerRules.GlobalAveragePool(onnx, call);
        if (!Divides(input))
            return OnnxLayerRules.AdaptiveAveragePool(onnx, call, OutputHeight, OutputWidth);
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
