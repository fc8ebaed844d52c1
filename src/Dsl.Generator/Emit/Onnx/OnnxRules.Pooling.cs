using System;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.Onnx;

// Issue 19: the direct pooling ops are ONNX's MaxPool and AveragePool themselves,
// on an image given the batch axis ONNX needs when it has none.
internal static partial class OnnxRules
{
    /// <summary>
    /// MaxPool of x [B, C, H, W] (padding never wins, as here). Only the layer's form, whose scores
    /// are its values; other scores (only a derivative makes them, and an export is of the forward
    /// pass) give null, which the export reports as an op it does not map.
    /// </summary>
    public static string MaxPool(OnnxGraphBuilder onnx, Node y) =>
        y.Inputs[0] == y.Inputs[1] ? Pooled(onnx, y, "MaxPool", Array.Empty<OnnxAttr>()) : null!;

    /// <summary>AveragePool of x [B, C, H, W], each window divided by its whole size (count_include_pad, as here).</summary>
    public static string AveragePool(OnnxGraphBuilder onnx, Node y) =>
        Pooled(onnx, y, "AveragePool", new[] { OnnxAttr.Int("count_include_pad", 1) });

    /// <summary><paramref name="opType"/> over the node's (last) image operand with its window, the batch axis added and taken off when the image has none.</summary>
    private static string Pooled(OnnxGraphBuilder onnx, Node y, string opType, OnnxAttr[] extra)
    {
        ConvolutionGeometry g = ConvolutionGeometry.Of(y);
        Node x = onnx[y.Inputs[y.Inputs.Count - 1]];
        string image = onnx.Value(x.Id);
        if (!x.Batched)
            image = onnx.Op("Unsqueeze", new[] { image, onnx.Int64s(0) });
        // The layer allows no dilation; ONNX's AveragePool has none before opset 19.
        string pooled = onnx.Op(opType, image, Window(g).Where(a => a.Name != "dilations").Concat(extra).ToArray());
        return x.Batched ? pooled : onnx.Op("Squeeze", new[] { pooled, onnx.Int64s(0) });
    }
}
