using System;
using System.Collections.Generic;
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
/// <c>[Conv2d(out, k, Stride, Padding, Dilation, Groups, Bias)]</c> over images [C, H, W] (a
/// kernel of (kh, kw) and per-axis <c>StrideHeight</c>, <c>PaddingWidth</c>, ... allowed) and
/// <c>[Conv1d(...)]</c> over sequences [C, L] (a one-row image): nn.Conv2d and nn.Conv1d, weight
/// [out, C/groups, kh, kw] (or [out, C/groups, k]) and bias [out]. Lowered as one
/// fused convolution op per example (im2col into a scratch, one product, channels first); with
/// groups, im2col and a batched product of each group's weights with its share of every row.
/// </summary>
internal sealed record ConvolutionLayer(bool OneDimensional, int OutChannels, ConvolutionGeometry Window, int Groups, bool Bias) : LayerKind
{
    public override string Name => OneDimensional ? "Conv1d" : "Conv2d";

    public static LayerKind? ParseConv2d(LayerAttributeReader a) =>
        a.TryPositive(0, out int outChannels) && ConvolutionWindow.Read(a, 1, strideIsKernel: false, dilation: true) is { } window
        && a.TryNamedInt("Groups", 1, 1, out int groups)
            ? new ConvolutionLayer(false, outChannels, window, groups, a.NamedBool("Bias", true))
            : null;

    public static LayerKind? ParseConv1d(LayerAttributeReader a) =>
        a.TryPositive(0, out int outChannels) && a.TryPositive(1, out int kernel)
        && a.TryNamedInt("Stride", 1, 1, out int stride) && a.TryNamedInt("Padding", 0, 0, out int padding) && a.TryNamedInt("Dilation", 1, 1, out int dilation)
        && a.TryNamedInt("Groups", 1, 1, out int groups)
            ? new ConvolutionLayer(true, outChannels, new ConvolutionGeometry(1, kernel, 1, stride, 0, padding, 1, dilation), groups, a.NamedBool("Bias", true))
            : null;

    /// <summary>The input as an image: [C, L] is [C, 1, L].</summary>
    private Shape ImageOf(Shape input) => OneDimensional ? Shape.Of(input[0], 1, input[1]) : input;

    private string Expected => OneDimensional ? "a sequence [C, L]" : "an image [C, H, W]";

    /// <summary>
    /// One group: y = W·im2col(x)ᵀ + b [out, OH, OW], channels first, as one fused
    /// <see cref="OpKind.Convolution"/> (each example's receptive fields built and multiplied in a
    /// per-thread scratch, PyTorch's slow_conv2d). G groups (not fused yet): cols = im2col(x)
    /// [OH·OW, C·kh·kw] viewed as [OH·OW, G, C/G·kh·kw] and swapped to [G, OH·OW, C/G·kh·kw], y = W_g·cols_gᵀ per group [G, out/G, OH·OW], which is [out, OH, OW] as it lies.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != (OneDimensional ? 2 : 3))
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", Expected, shape);
        if (ConvolutionWindow.Misfit(lowering, call, ImageOf(shape), Window) is { } error)
            return error;
        if (shape[0] % Groups != 0 || OutChannels % Groups != 0)
            return lowering.Report(DiagnosticDescriptors.GroupsDoNotDivideChannels, call.Arguments[0].Location,
                Groups, "[" + Name + "] " + layer.MethodName, shape[0], shape, OutChannels);
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        Shape image = ImageOf(shape);
        int channels = shape[0], taps = channels / Groups * Window.KernelHeight * Window.KernelWidth;
        int positions = Window.OutputHeight(image[1]) * Window.OutputWidth(image[2]);
        int source = OneDimensional ? g.Reshape(x, image) : x;
        int weight = g.Parameter(layer.ParameterName + ".weight", WeightShape(channels));
        int y;
        if (Groups == 1)
        {
            // The op gives the image [out, OH, OW] itself: the bias, repeated over the positions once
            // per step, is reshaped to it rather than the batch's output to [out, OH·OW]. It is
            // repeated before the convolution, so that the add (with what follows it: ReLU, a
            // residual add) comes right after the convolution's call and the CPU program runs it as
            // the call's epilogue, on each example while it is in cache.
            Shape outputImage = Shape.Of(OutChannels, Window.OutputHeight(image[1]), Window.OutputWidth(image[2]));
            int? bias = Bias ? g.Reshape(g.ExpandLast(g.Parameter(layer.ParameterName + ".bias", Shape.Of(OutChannels)), positions), outputImage) : null;
            y = g.Convolution(g.Reshape(weight, Shape.Of(OutChannels, taps)), source, Window);
            if (bias is { } b)
                y = g.Add(y, b);
        }
        else
        {
            int grouped = g.Transpose(g.Reshape(g.Im2Col(source, Window), Shape.Of(positions, Groups, taps)), 0, 1);
            int product = g.MatMul(g.Reshape(weight, Shape.Of(Groups, OutChannels / Groups, taps)), grouped, transposeB: true);
            y = g.Reshape(product, Shape.Of(OutChannels, positions));
            if (Bias)
                y = g.Add(y, g.ExpandLast(g.Parameter(layer.ParameterName + ".bias", Shape.Of(OutChannels)), positions));
        }
        return new TensorValue(g.Reshape(y, Output(shape)));
    }

    private Shape WeightShape(int channels) => OneDimensional
        ? Shape.Of(OutChannels, channels / Groups, Window.KernelWidth)
        : Shape.Of(OutChannels, channels / Groups, Window.KernelHeight, Window.KernelWidth);

    /// <summary>[out, OH, OW], or [out, OL] for a Conv1d.</summary>
    private Shape Output(Shape input)
    {
        Shape image = ImageOf(input);
        int oh = Window.OutputHeight(image[1]), ow = Window.OutputWidth(image[2]);
        return OneDimensional ? Shape.Of(OutChannels, ow) : Shape.Of(OutChannels, oh, ow);
    }

    /// <summary>nn.Conv2d's: U(±1/√fan_in) for both, fan_in = C/groups·kh·kw (kaiming_uniform with a = √5).</summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        Shape weight = WeightShape(layer.Input[0]);
        int fanIn = weight.Size / OutChannels;
        yield return new LayerParameter("weight", weight, fanIn);
        if (Bias)
            yield return new LayerParameter("bias", Shape.Of(OutChannels), fanIn);
    }

    /// <summary>ONNX's Conv with the layer's window and groups (1-D for a Conv1d).</summary>
    public override OnnxLayerRule? Onnx => (onnx, call) => OnnxLayerRules.Conv(onnx, call, Window, Groups, OneDimensional, Bias);

    /// <summary>The whole input must agree: its sizes fix the output's.</summary>
    public override bool SameInput(Shape bound, Shape input) => bound == input;

    public override Shape BoundInput(Shape bound) => bound;

    public override string InputText(ResolvedLayer layer) => layer.Input.ToString();

    public override Shape OutputShape(ResolvedLayer layer) => Output(layer.Input);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string shapes = resolved is null ? "" : ": " + resolved.InputText + " -> " + resolved.OutputShape;
        string bias = Bias ? parameter("bias") : "null";
        ConvolutionGeometry s = Window;
        if (OneDimensional || (s.IsSquare && Groups == 1))
        {
            // One number per argument, as the attribute was written.
            OpenEagerBody(w, layer, $"// [{Name}({OutChannels}, {s.KernelWidth}, Stride = {s.StrideWidth}, Padding = {s.PadWidth}, Dilation = {s.DilationWidth}{GroupsText})] {layer.MethodName}{shapes}, run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {parameter("weight")}, {bias}, {Literals.Int(s.StrideWidth)}, {Literals.Int(s.PadWidth)}, {Literals.Int(s.DilationWidth)}{(Groups == 1 ? "" : ", " + Literals.Int(Groups))});");
        }
        else
        {
            OpenEagerBody(w, layer, $"// [{Name}({OutChannels}, {s.KernelHeight}x{s.KernelWidth}, Stride = {s.StrideHeight}x{s.StrideWidth}, Padding = {s.PadHeight}x{s.PadWidth}, Dilation = {s.DilationHeight}x{s.DilationWidth}{GroupsText})] {layer.MethodName}{shapes}, run eagerly on the reference Tensor.");
            w.Line($"{TypeNames.EagerLayers}.{Name}({layer.InputName}, {parameter("weight")}, {bias}, {Literals.Int(s.StrideHeight)}, {Literals.Int(s.StrideWidth)}, {Literals.Int(s.PadHeight)}, {Literals.Int(s.PadWidth)}, {Literals.Int(s.DilationHeight)}, {Literals.Int(s.DilationWidth)}, {Literals.Int(Groups)});");
        }
        w.Unindent();
    }

    private string GroupsText => Groups == 1 ? "" : ", Groups = " + Groups;
}
