using System;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;

namespace Dsl.Generator.Emit.Onnx;

/// <summary>
/// The ONNX operator (opset 17) of one layer call in an exported forward graph, added through
/// <paramref name="onnx"/> from the call's input value; returns the name of the call's output value.
/// Parameters are read by their state_dict names, which are the graph's initializers.
/// </summary>
internal delegate string OnnxLayerRule(OnnxGraphBuilder onnx, LayerCall call);

/// <summary>
/// The layers' ONNX operators (<see cref="Layers.LayerKind.Onnx"/>): what a serving user expects to
/// see of a convolutional network (Conv, MaxPool, AveragePool, GlobalAveragePool, Flatten,
/// BatchNormalization), one node per layer call, where the IR holds im2col, products and masks.
/// The input is batched (the export only uses a rule then), so its ONNX value is [B, C, ...].
/// </summary>
internal static class OnnxLayerRules
{
    /// <summary>
    /// nn.Conv2d (or nn.Conv1d, one spatial axis) as ONNX's Conv: the weight [out, C/groups, kh, kw]
    /// and bias [out] are the layer's parameters, laid out as ONNX's W and B.
    /// </summary>
    public static string Conv(OnnxGraphBuilder onnx, LayerCall call, ConvolutionGeometry window, int groups, bool oneDimensional, bool bias)
    {
        var inputs = new[] { onnx.Value(call.Input), call.Prefix + "weight" };
        if (bias)
            inputs = inputs.Append(call.Prefix + "bias").ToArray();
        return onnx.Op("Conv", inputs, Window(window, oneDimensional).Append(OnnxAttr.Int("group", groups)).ToArray());
    }

    /// <summary>
    /// nn.MaxPool2d (or nn.MaxPool1d, one spatial axis, with its dilation) as ONNX's MaxPool, whose
    /// padding never wins (as PyTorch pads with −∞).
    /// </summary>
    public static string MaxPool(OnnxGraphBuilder onnx, LayerCall call, ConvolutionGeometry window, bool oneDimensional = false) =>
        onnx.Op("MaxPool", onnx.Value(call.Input), Window(window, oneDimensional).Where(a => oneDimensional || a.Name != "dilations").ToArray());

    /// <summary>
    /// nn.AvgPool2d (or nn.AvgPool1d) as ONNX's AveragePool with <c>count_include_pad = 1</c>:
    /// PyTorch's default, each window divided by its whole size, padding included.
    /// </summary>
    public static string AveragePool(OnnxGraphBuilder onnx, LayerCall call, ConvolutionGeometry window, bool oneDimensional = false) =>
        onnx.Op("AveragePool", onnx.Value(call.Input),
            Window(window, oneDimensional).Where(a => a.Name != "dilations").Append(OnnxAttr.Int("count_include_pad", 1)).ToArray());

    /// <summary>The mean of each channel, [B, C, 1, 1] (or [B, C, 1]): nn.AdaptiveAvgPool2d(1), nn.AdaptiveAvgPool1d(1).</summary>
    public static string GlobalAveragePool(OnnxGraphBuilder onnx, LayerCall call) =>
        onnx.Op("GlobalAveragePool", onnx.Value(call.Input));

    /// <summary>The largest value of each channel, [B, C, 1, 1] (or [B, C, 1]): nn.AdaptiveMaxPool2d(1), nn.AdaptiveMaxPool1d(1).</summary>
    public static string GlobalMaxPool(OnnxGraphBuilder onnx, LayerCall call) =>
        onnx.Op("GlobalMaxPool", onnx.Value(call.Input));

    /// <summary>The most uneven adaptive windows along one axis that <see cref="AdaptivePool"/> writes out.</summary>
    internal const int MaxAdaptiveWindows = 1024;

    /// <summary>
    /// nn.AdaptiveAvgPool2d or nn.AdaptiveMaxPool2d (<paramref name="max"/>) with PyTorch's uneven
    /// windows (<see cref="Layers.AdaptivePoolingLayer.Window"/>), which ONNX has no operator for:
    /// along the rows, then the columns, each window's Slice reduced by ReduceMean or ReduceMax (kept
    /// as an axis of 1), the windows joined by Concat. Both reductions are separable over a window's
    /// rectangle, so this is the layer's value. Without <paramref name="outputHeight"/> (a 1-D
    /// layer, [B, C, L]), the one axis alone.
    /// </summary>
    public static string AdaptivePool(OnnxGraphBuilder onnx, LayerCall call, bool max, int? outputHeight, int outputWidth)
    {
        Shape input = onnx[call.Input].Shape;
        string AlongAxis(string x, int axis, int count)
        {
            // Two nodes a window: an output of a million windows (PyTorch allows more windows than
            // pixels) would be a graph of millions of nodes, built at compile time. The emitter turns
            // this into an ExportOnnx that throws, naming it; the training program is unaffected.
            if (count > MaxAdaptiveWindows)
                throw new NotSupportedException($"{count} adaptive pooling windows along an axis (ONNX has no adaptive pooling operator; the export writes two nodes a window, at most {MaxAdaptiveWindows})");
            var windows = Enumerable.Range(0, count).Select(i =>
            {
                (int start, int length) = Layers.AdaptivePoolingLayer.Window(i, count, input[axis - 1]);
                string slice = onnx.Op("Slice", new[] { x, onnx.Int64s(start), onnx.Int64s(start + length), onnx.Int64s(axis) });
                return onnx.Op(max ? "ReduceMax" : "ReduceMean", slice, OnnxAttr.IntList("axes", axis), OnnxAttr.Int("keepdims", 1));
            }).ToList();
            return windows.Count == 1 ? windows[0] : onnx.Op("Concat", windows, OnnxAttr.Int("axis", axis));
        }
        // ONNX axes 2 and 3 are the rows and columns of [B, C, H, W]; axis 2 the length of [B, C, L].
        return outputHeight is int rows
            ? AlongAxis(AlongAxis(onnx.Value(call.Input), 2, rows), 3, outputWidth)
            : AlongAxis(onnx.Value(call.Input), 2, outputWidth);
    }

    /// <summary>nn.Flatten(): [B, ...] to [B, size].</summary>
    public static string Flatten(OnnxGraphBuilder onnx, LayerCall call) =>
        onnx.Op("Flatten", onnx.Value(call.Input), OnnxAttr.Int("axis", 1));

    /// <summary>
    /// nn.BatchNorm in evaluation as ONNX's BatchNormalization (training_mode 0): the running
    /// statistics normalise, with the layer's ε. Without affine parameters, the scale is ones and the
    /// bias zeros, made here.
    /// </summary>
    public static string BatchNormalization(OnnxGraphBuilder onnx, LayerCall call, double epsilon, bool affine)
    {
        string scale = call.Prefix + "weight", bias = call.Prefix + "bias";
        if (!affine)
        {
            string channels = onnx.Int64s(onnx[call.Input].Shape[0]);
            scale = onnx.Op("ConstantOfShape", channels, OnnxAttr.Fill(1));
            bias = onnx.Op("ConstantOfShape", channels, OnnxAttr.Fill(0));
        }
        return onnx.Op("BatchNormalization",
            new[] { onnx.Value(call.Input), scale, bias, call.Prefix + "running_mean", call.Prefix + "running_var" },
            OnnxAttr.Real("epsilon", epsilon));
    }

    /// <summary>A window's ONNX attributes: kernel_shape, pads (begins then ends), strides and dilations, per spatial axis.</summary>
    private static OnnxAttr[] Window(ConvolutionGeometry g, bool oneDimensional) => oneDimensional
        ? new[]
        {
            OnnxAttr.IntList("kernel_shape", g.KernelWidth),
            OnnxAttr.IntList("pads", g.PadWidth, g.PadWidth),
            OnnxAttr.IntList("strides", g.StrideWidth),
            OnnxAttr.IntList("dilations", g.DilationWidth),
        }
        : new[]
        {
            OnnxAttr.IntList("kernel_shape", g.KernelHeight, g.KernelWidth),
            OnnxAttr.IntList("pads", g.PadHeight, g.PadWidth, g.PadHeight, g.PadWidth),
            OnnxAttr.IntList("strides", g.StrideHeight, g.StrideWidth),
            OnnxAttr.IntList("dilations", g.DilationHeight, g.DilationWidth),
        };
}
