using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.Onnx;

// The fused convolution op is ONNX's Conv itself: the weight [out, C·kh·kw]
// reshaped to [out, C, kh, kw]; the output [B, out, OH, OW] is the op's own shape.
internal static partial class OnnxRules
{
    /// <summary>y [B, out, OH, OW] = Conv(x [B, C, H, W], W [out, C, kh, kw]).</summary>
    public static string Convolution(OnnxGraphBuilder onnx, Node y)
    {
        ConvolutionGeometry g = ConvolutionGeometry.Of(y);
        Node weight = onnx[y.Inputs[0]], x = onnx[y.Inputs[1]];
        string kernel = onnx.Op("Reshape", new[] { onnx.Value(weight.Id), onnx.Int64s(weight.Shape[0], x.Shape[0], g.KernelHeight, g.KernelWidth) });
        string image = onnx.Value(x.Id);
        if (!x.Batched)
            image = onnx.Op("Unsqueeze", new[] { image, onnx.Int64s(0) });
        string product = onnx.Op("Conv", new[] { image, kernel }, Window(g));
        return x.Batched ? product : onnx.Op("Squeeze", new[] { product, onnx.Int64s(0) });
    }
}
