using System;
using System.Collections.Generic;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// <c>[Conv2d(out, k, Stride, Padding, Dilation, Bias)]</c> over images [C, H, W] and
/// <c>[Conv1d(...)]</c> over sequences [C, L] (a one-row image): nn.Conv2d and nn.Conv1d with one
/// group, weight [out, C, k, k] (or [out, C, k]) and bias [out]. Lowered as im2col, one GEMM over
/// every receptive field of the batch, and a transpose to channels first.
/// </summary>
internal sealed record ConvolutionLayer(bool OneDimensional, int OutChannels, int Kernel, int Stride, int Padding, int Dilation, bool Bias) : LayerKind
{
    public override string Name => OneDimensional ? "Conv1d" : "Conv2d";

    public static LayerKind? ParseConv2d(LayerAttributeReader a) => Parse(a, false);

    public static LayerKind? ParseConv1d(LayerAttributeReader a) => Parse(a, true);

    private static LayerKind? Parse(LayerAttributeReader a, bool oneDimensional) =>
        a.TryPositive(0, out int outChannels) && a.TryPositive(1, out int kernel)
        && a.TryNamedInt("Stride", 1, 1, out int stride) && a.TryNamedInt("Padding", 0, 0, out int padding) && a.TryNamedInt("Dilation", 1, 1, out int dilation)
            ? new ConvolutionLayer(oneDimensional, outChannels, kernel, stride, padding, dilation, a.NamedBool("Bias", true))
            : null;

    /// <summary>The window over the image; a Conv1d's is one row high.</summary>
    private ConvolutionGeometry Geometry => OneDimensional
        ? new ConvolutionGeometry(1, Kernel, 1, Stride, 0, Padding, 1, Dilation)
        : new ConvolutionGeometry(Kernel, Kernel, Stride, Stride, Padding, Padding, Dilation, Dilation);

    /// <summary>The input as an image: [C, L] is [C, 1, L].</summary>
    private Shape ImageOf(Shape input) => OneDimensional ? Shape.Of(input[0], 1, input[1]) : input;

    private string Expected => OneDimensional ? "a sequence [C, L]" : "an image [C, H, W]";

    /// <summary>cols = im2col(x) [OH·OW, C·k·k]; y = cols·Wᵀ + b [OH·OW, out]; transposed to [out, OH, OW].</summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != (OneDimensional ? 2 : 3))
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", Expected, shape);
        if (ConvolutionWindow.Misfit(lowering, call, ImageOf(shape), Geometry) is { } error)
            return error;
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        Shape image = ImageOf(shape);
        ConvolutionGeometry geometry = Geometry;
        int channels = shape[0], taps = channels * geometry.KernelHeight * geometry.KernelWidth;
        int positions = geometry.OutputHeight(image[1]) * geometry.OutputWidth(image[2]);
        int source = OneDimensional ? g.Reshape(x, image) : x;
        int weight = g.Parameter(layer.ParameterName + ".weight", WeightShape(channels));
        int y = g.Linear(g.Reshape(weight, Shape.Of(OutChannels, taps)), g.Im2Col(source, geometry));
        if (Bias)
            y = g.Add(y, g.Tile(g.Parameter(layer.ParameterName + ".bias", Shape.Of(OutChannels)), Shape.Of(positions)));
        return new TensorValue(g.Reshape(g.Transpose(y, 0, 1), Output(shape)));
    }

    private Shape WeightShape(int channels) => OneDimensional ? Shape.Of(OutChannels, channels, Kernel) : Shape.Of(OutChannels, channels, Kernel, Kernel);

    /// <summary>[out, OH, OW], or [out, OL] for a Conv1d.</summary>
    private Shape Output(Shape input)
    {
        Shape image = ImageOf(input);
        int oh = Geometry.OutputHeight(image[1]), ow = Geometry.OutputWidth(image[2]);
        return OneDimensional ? Shape.Of(OutChannels, ow) : Shape.Of(OutChannels, oh, ow);
    }

    /// <summary>nn.Conv2d's: U(±1/√fan_in) for both, fan_in = C·k·k (kaiming_uniform with a = √5).</summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        Shape weight = WeightShape(layer.Input[0]);
        int fanIn = weight.Size / OutChannels;
        yield return new LayerParameter("weight", weight, fanIn);
        if (Bias)
            yield return new LayerParameter("bias", Shape.Of(OutChannels), fanIn);
    }

    /// <summary>The whole input must agree: its sizes fix the output's.</summary>
    public override bool SameInput(Shape bound, Shape input) => bound == input;

    public override Shape BoundInput(Shape bound) => bound;

    public override string InputText(ResolvedLayer layer) => layer.Input.ToString();

    public override Shape OutputShape(ResolvedLayer layer) => Output(layer.Input);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string shapes = resolved is null ? "" : ": " + resolved.InputText + " -> " + resolved.OutputShape;
        OpenEagerBody(w, layer, $"// [{Name}({OutChannels}, {Kernel}, Stride = {Stride}, Padding = {Padding}, Dilation = {Dilation})] {layer.MethodName}{shapes}, run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {parameter("weight")}, {(Bias ? parameter("bias") : "null")}, {Literals.Int(Stride)}, {Literals.Int(Padding)}, {Literals.Int(Dilation)});");
        w.Unindent();
    }
}
