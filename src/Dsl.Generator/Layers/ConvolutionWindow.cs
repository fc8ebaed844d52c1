using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// What convolution and pooling layers share: reading the window's arguments (one size for both
/// axes, or a height and a width) and the check that the window fits the padded input.
/// </summary>
internal static class ConvolutionWindow
{
    /// <summary>
    /// The 2-D window of an attribute whose kernel is positional argument <paramref name="kernelAt"/>
    /// (a square side) or arguments <paramref name="kernelAt"/> and the next (height, width); then
    /// <c>Stride</c>, <c>Padding</c> and (with <paramref name="dilation"/>) <c>Dilation</c> for both
    /// axes, each overridden by its <c>…Height</c>/<c>…Width</c> named argument. A stride not given
    /// is 1, or the kernel for pooling (<paramref name="strideIsKernel"/>). Null after an error.
    /// </summary>
    public static ConvolutionGeometry? Read(LayerAttributeReader a, int kernelAt, bool strideIsKernel, bool dilation)
    {
        if (!a.TryPositive(kernelAt, out int kh))
            return null;
        int kw = kh;
        if (a.PositionalCount > kernelAt + 1 && !a.TryPositive(kernelAt + 1, out kw))
            return null;
        int dh = 1, dw = 1;
        if (!TryAxes(a, "Stride", strideIsKernel ? kh : 1, strideIsKernel ? kw : 1, 1, out int sh, out int sw)
            || !TryAxes(a, "Padding", 0, 0, 0, out int ph, out int pw)
            || (dilation && !TryAxes(a, "Dilation", 1, 1, 1, out dh, out dw)))
            return null;
        return new ConvolutionGeometry(kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /// <summary>
    /// The named argument <paramref name="name"/> for both axes, or <c>{name}Height</c> and
    /// <c>{name}Width</c> for one each; the fallbacks when not given. False after an error (DSL0131).
    /// </summary>
    private static bool TryAxes(LayerAttributeReader a, string name, int fallbackHeight, int fallbackWidth, int minimum, out int height, out int width)
    {
        height = fallbackHeight;
        width = fallbackWidth;
        if (a.HasNamed(name))
        {
            if (!a.TryNamedInt(name, 0, minimum, out height))
                return false;
            width = height;
        }
        return a.TryNamedInt(name + "Height", height, minimum, out height) && a.TryNamedInt(name + "Width", width, minimum, out width);
    }

    /// <summary>DSL0130 at the argument when the kernel is larger than the padded image, naming the sizes; else null.</summary>
    public static Value? Misfit(EntryLowering lowering, CallExpression call, Shape image, ConvolutionGeometry g)
    {
        if (g.OutputHeight(image[1]) >= 1 && g.OutputWidth(image[2]) >= 1)
            return null;
        return lowering.Report(DiagnosticDescriptors.KernelLargerThanInput, call.Arguments[0].Location,
            g.ReachHeight + "x" + g.ReachWidth, image, (image[1] + 2 * g.PadHeight) + "x" + (image[2] + 2 * g.PadWidth));
    }
}
