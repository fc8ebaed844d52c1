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
/// nn.MaxPool2d and nn.AvgPool2d (count_include_pad), no parameters; and <c>[MaxPool1d(k, Stride,
/// Padding, Dilation)]</c> and <c>[AvgPool1d(k, Stride, Padding)]</c> over sequences [C, L], which
/// pool a one-row image [C, 1, L] (a window of one row: exactly nn.MaxPool1d and nn.AvgPool1d).
/// Lowered as one direct pooling op, which reduces each window of each image where it lies (no im2col).
/// </summary>
internal sealed record PoolingLayer(bool Max, ConvolutionGeometry Window, bool OneDimensional = false) : LayerKind
{
    public override string Name => (Max ? "MaxPool" : "AvgPool") + (OneDimensional ? "1d" : "2d");

    public override bool HasParameters => false;

    public static LayerKind? ParseMax(LayerAttributeReader a) => Parse(a, true);

    public static LayerKind? ParseAverage(LayerAttributeReader a) => Parse(a, false);

    public static LayerKind? ParseMax1d(LayerAttributeReader a) => Parse1d(a, true);

    public static LayerKind? ParseAverage1d(LayerAttributeReader a) => Parse1d(a, false);

    /// <summary>
    /// nn.MaxPool1d(kernel_size, stride = kernel_size, padding, dilation) or nn.AvgPool1d(kernel_size,
    /// stride, padding) as a window of one row: kernel (1, k), stride (1, s), padding (0, p), dilation (1, d).
    /// </summary>
    private static LayerKind? Parse1d(LayerAttributeReader a, bool max)
    {
        int dilation = 1;
        if (!a.TryPositive(0, out int kernel) || !a.TryNamedInt("Stride", kernel, 1, out int stride)
            || !a.TryNamedInt("Padding", 0, 0, out int padding) || (max && !a.TryNamedInt("Dilation", 1, 1, out dilation)))
            return null;
        // PyTorch's rule (max_pool1d and avg_pool1d: padding at most half the kernel size).
        if (padding > kernel / 2)
            return BadPadding(a, padding, kernel, "Padding");
        return new PoolingLayer(max, new ConvolutionGeometry(1, kernel, 1, stride, 0, padding, 1, dilation), OneDimensional: true);
    }

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
    /// One <see cref="OpKind.MaxPool"/> (the input as its own scores, so the gradient reaches the
    /// first maximum only) or <see cref="OpKind.AvgPool"/>, each a direct reduction of every window.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != (OneDimensional ? 2 : 3))
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'",
                OneDimensional ? "a sequence [C, L]" : "an image [C, H, W]", shape);
        Shape image = OneDimensional ? Shape.Of(shape[0], 1, shape[1]) : shape;
        if (OneDimensional && Window.OutputWidth(shape[1]) < 1)
            return lowering.Report(DiagnosticDescriptors.KernelLargerThanInput, call.Arguments[0].Location, Window.ReachWidth, shape, shape[1] + 2 * Window.PadWidth);
        if (ConvolutionWindow.Misfit(lowering, call, image, Window) is { } error)
            return error;
        lowering.MarkCalled(layer);
        if (!OneDimensional)
            return new TensorValue(Pool(g, x, Max, Window));
        // A ReLU's rows as the image's, so that Pool's rule (pool the ReLU's input, rectify the
        // pooled values) sees the ReLU through the reshape.
        int rows = Max && g[x].Op == OpKind.Relu ? g.Unary(OpKind.Relu, g.Reshape(g[x].Inputs[0], image)) : g.Reshape(x, image);
        int pooled = Pool(g, rows, Max, Window);
        return new TensorValue(g.Reshape(pooled, Shape.Of(shape[0], Window.OutputWidth(shape[1]))));
    }

    /// <summary>
    /// x [C, H, W] pooled over the windows of <paramref name="window"/>: [C, OH, OW]. Max pooling of a
    /// ReLU pools the ReLU's input and rectifies the pooled result: ReLU keeps the order of the values
    /// it leaves positive, so both give the same bits and, where the maximum is positive, the same
    /// first maximum for the gradient (elsewhere the gradient is zero either way), while the ReLU and
    /// its mask run over a quarter of the values (for a 2×2 window) and the full-size ReLU output is
    /// neither computed nor stored.
    /// </summary>
    internal static int Pool(GraphBuilder g, int x, bool max, ConvolutionGeometry window)
    {
        if (!max)
            return g.AvgPool(x, window);
        if (g[x].Op == OpKind.Relu)
        {
            int preActivation = g[x].Inputs[0];
            return g.Unary(OpKind.Relu, g.MaxPool(preActivation, preActivation, window));
        }
        return g.MaxPool(x, x, window);
    }

    /// <summary>ONNX's MaxPool, or AveragePool counting the padding (PyTorch's count_include_pad); one spatial axis for the 1-D layers.</summary>
    public override OnnxLayerRule? Onnx => Max
        ? (onnx, call) => OnnxLayerRules.MaxPool(onnx, call, Window, OneDimensional)
        : (onnx, call) => OnnxLayerRules.AveragePool(onnx, call, Window, OneDimensional);

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        ConvolutionGeometry s = Window;
        if (OneDimensional)
        {
            string dilation = Max ? $", Dilation = {s.DilationWidth}" : "";
            OpenEagerBody(w, layer, $"// [{Name}({s.KernelWidth}, Stride = {s.StrideWidth}, Padding = {s.PadWidth}{dilation})] {layer.MethodName}: [C, L] -> [C, OL], run eagerly on the reference Tensor.");
            string dilationArgument = Max ? ", " + Literals.Int(s.DilationWidth) : "";
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {Literals.Int(s.KernelWidth)}, {Literals.Int(s.StrideWidth)}, {Literals.Int(s.PadWidth)}{dilationArgument});");
        }
        else if (s.IsSquare)
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
