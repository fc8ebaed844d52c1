using System;

namespace Dsl;

/// <summary>
/// Declares adaptive max pooling over images <c>[C, H, W]</c>, like <c>torch.nn.AdaptiveMaxPool2d</c>:
/// the output is <c>[C, OutputHeight, OutputWidth]</c> whatever the image's size, each value the
/// largest of its share of the image (rows ⌊i·H/OutputHeight⌋ to ⌈(i+1)·H/OutputHeight⌉ − 1, the
/// columns likewise: PyTorch's windows, which vary in size and may overlap), and the gradient goes to
/// the first largest one in row-major order. <c>[AdaptiveMaxPool2d(1)]</c> is global max pooling.
/// No parameters.
/// </summary>
/// <example>
/// <code>
/// [AdaptiveMaxPool2d(3)] private partial Tensor Pool(Tensor x);   // [16, 7, 7] -> [16, 3, 3]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaptiveMaxPool2dAttribute : Attribute
{
    /// <summary>Creates the attribute for a square output of <paramref name="outputSize"/> by <paramref name="outputSize"/>.</summary>
    /// <param name="outputSize">The side of the output.</param>
    public AdaptiveMaxPool2dAttribute(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>Creates the attribute for an output of <paramref name="outputHeight"/> by <paramref name="outputWidth"/>.</summary>
    /// <param name="outputHeight">The rows of the output.</param>
    /// <param name="outputWidth">The columns of the output.</param>
    public AdaptiveMaxPool2dAttribute(int outputHeight, int outputWidth)
    {
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
    }

    /// <summary>The rows of the output.</summary>
    public int OutputHeight { get; }

    /// <summary>The columns of the output.</summary>
    public int OutputWidth { get; }
}
