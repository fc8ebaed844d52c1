using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>What convolution and pooling layers share: the check that the window fits the padded input.</summary>
internal static class ConvolutionWindow
{
    /// <summary>DSL0130 at the argument when the kernel is larger than the padded image, naming the sizes; else null.</summary>
    public static Value? Misfit(EntryLowering lowering, CallExpression call, Shape image, ConvolutionGeometry g)
    {
        if (g.OutputHeight(image[1]) >= 1 && g.OutputWidth(image[2]) >= 1)
            return null;
        return lowering.Report(DiagnosticDescriptors.KernelLargerThanInput, call.Arguments[0].Location,
            g.ReachHeight + "x" + g.ReachWidth, image, (image[1] + 2 * g.PadHeight) + "x" + (image[2] + 2 * g.PadWidth));
    }
}
