using System;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// <c>[MaxPool2d(k, Stride, Padding)]</c> and <c>[AvgPool2d(...)]</c> over images [C, H, W]:
/// nn.MaxPool2d and nn.AvgPool2d (count_include_pad), no parameters. Lowered as im2col, each row
/// viewed as [C, k·k], reduced over its windows.
/// </summary>
internal sealed record PoolingLayer(bool Max, int Kernel, int Stride, int Padding) : LayerKind
{
    // Added to the padding's taps before the maximum is chosen, so a real pixel always wins.
    private const double PaddingPenalty = -1e30;

    public override string Name => Max ? "MaxPool2d" : "AvgPool2d";

    public override bool HasParameters => false;

    public static LayerKind? ParseMax(LayerAttributeReader a) => Parse(a, true);

    public static LayerKind? ParseAverage(LayerAttributeReader a) => Parse(a, false);

    private static LayerKind? Parse(LayerAttributeReader a, bool max)
    {
        if (!a.TryPositive(0, out int kernel) || !a.TryNamedInt("Stride", kernel, 1, out int stride) || !a.TryNamedInt("Padding", 0, 0, out int padding))
            return null;
        if (padding > kernel / 2)
        {
            // PyTorch's rule, which keeps every window over at least one real pixel.
            a.Report(DiagnosticDescriptors.InvalidWindowArgument, "Padding", padding, a.Display, "at most half the kernel (" + kernel / 2 + ")");
            return null;
        }
        return new PoolingLayer(max, kernel, stride, padding);
    }

    private ConvolutionGeometry Geometry => new(Kernel, Kernel, Stride, Stride, Padding, Padding, 1, 1);

    /// <summary>
    /// rows = im2col(x) as [OH·OW, C, k·k]; the average is their sum over k·k; the maximum is the
    /// sum of rows ⊙ MaxMask(rows) (with the padding's taps pushed down first), so the gradient
    /// reaches the first maximum only.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != 3)
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", "an image [C, H, W]", shape);
        if (ConvolutionWindow.Misfit(lowering, call, shape, Geometry) is { } error)
            return error;
        lowering.MarkCalled(layer);

        ConvolutionGeometry geometry = Geometry;
        int channels = shape[0], oh = geometry.OutputHeight(shape[1]), ow = geometry.OutputWidth(shape[2]);
        Shape windows = Shape.Of(oh * ow, channels, Kernel * Kernel);
        int rows = g.Reshape(g.Im2Col(x, geometry), windows);
        int pooled;
        if (Max)
        {
            int scores = rows;
            if (Padding > 0)
            {
                // 1 at a real pixel's tap and 0 at the padding's, from an image of ones.
                int real = g.Reshape(g.Im2Col(g.Broadcast(g.Constant(1), shape), geometry), windows);
                scores = g.Add(rows, g.Multiply(g.Constant(-PaddingPenalty), g.Subtract(real, g.Constant(1))));
            }
            pooled = g.SumLast(g.Multiply(g.MaxMask(scores), rows));
        }
        else
        {
            pooled = g.Multiply(g.Constant(1.0 / (Kernel * Kernel)), g.SumLast(rows));
        }
        return new TensorValue(g.Reshape(g.Transpose(pooled, 0, 1), Shape.Of(channels, oh, ow)));
    }

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        OpenEagerBody(w, layer, $"// [{Name}({Kernel}, Stride = {Stride}, Padding = {Padding})] {layer.MethodName}: [C, H, W] -> [C, OH, OW], run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(Kernel)}, {Literals.Int(Stride)}, {Literals.Int(Padding)});");
        w.Unindent();
    }
}
