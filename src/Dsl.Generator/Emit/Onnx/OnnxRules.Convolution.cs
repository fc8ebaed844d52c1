using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.Onnx;

// Issue 19 (conv branch): the convolution ops' ONNX nodes. ONNX has no im2col, but a grouped Conv
// whose kernels are one-hot copies each tap of the window into a channel of its own, which is
// im2col laid out channels first: exact, since each output is 1·x plus zeros.
internal static partial class OnnxRules
{
    /// <summary>
    /// cols [B, OH·OW, C·kh·kw] of x [B, C, H, W]: Conv(x, K, group = C) with K [C·kh·kw, 1, kh, kw]
    /// the identity of the kh·kw taps repeated for each channel (output channel c·kh·kw + t reads
    /// tap t of channel c, im2col's order), then [B, C·kh·kw, OH·OW] transposed.
    /// </summary>
    public static string Im2Col(OnnxGraphBuilder onnx, Node y)
    {
        ConvolutionGeometry g = ConvolutionGeometry.Of(y);
        Node x = onnx[y.Inputs[0]];
        int channels = x.Shape[0], taps = g.KernelHeight * g.KernelWidth;
        string identity = onnx.Op("EyeLike", onnx.Op("ConstantOfShape", onnx.Int64s(taps, taps), OnnxAttr.Fill(0)));
        string kernel = onnx.Op("Tile", new[] { onnx.Op("Reshape", new[] { identity, onnx.Int64s(taps, 1, g.KernelHeight, g.KernelWidth) }), onnx.Int64s(channels, 1, 1, 1) });
        string image = onnx.Value(x.Id);
        if (!x.Batched)
            image = onnx.Op("Unsqueeze", new[] { image, onnx.Int64s(0) });
        string fields = onnx.Op("Conv", new[] { image, kernel }, Window(g).Append(OnnxAttr.Int("group", channels)).ToArray());
        string rows = onnx.Op("Reshape", new[] { fields, onnx.Int64s(0, channels * taps, y.Shape[0]) });
        string cols = onnx.Op("Transpose", rows, OnnxAttr.IntList("perm", 0, 2, 1));
        return x.Batched ? cols : onnx.Op("Squeeze", new[] { cols, onnx.Int64s(0) });
    }

    /// <summary>A window's ONNX attributes: kernel_shape, pads (begin then end per axis), strides and dilations.</summary>
    private static OnnxAttr[] Window(ConvolutionGeometry g) => new[]
    {
        OnnxAttr.IntList("kernel_shape", g.KernelHeight, g.KernelWidth),
        OnnxAttr.IntList("pads", g.PadHeight, g.PadWidth, g.PadHeight, g.PadWidth),
        OnnxAttr.IntList("strides", g.StrideHeight, g.StrideWidth),
        OnnxAttr.IntList("dilations", g.DilationHeight, g.DilationWidth),
    };
}
