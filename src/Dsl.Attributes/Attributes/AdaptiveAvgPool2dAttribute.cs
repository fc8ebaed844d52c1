using System;

namespace Dsl;

/// <summary>
/// Declares adaptive average pooling over images <c>[C, H, W]</c>, like <c>torch.nn.AdaptiveAvgPool2d</c>:
/// the output is <c>[C, OutputHeight, OutputWidth]</c> whatever the image's size, each value the mean
/// of its share of the image (rows ⌊i·H/OutputHeight⌋ to ⌈(i+1)·H/OutputHeight⌉ − 1, the columns
/// likewise: PyTorch's windows, which vary in size and may overlap when the output does not divide
/// the image). <c>[AdaptiveAvgPool2d(1)]</c> is global average pooling. No parameters.
/// </summary>
/// <example>
/// <code>
/// [AdaptiveAvgPool2d(1)] private partial Tensor Global(Tensor x);   // [16, 8, 8] -> [16, 1, 1]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaptiveAvgPool2dAttribute : Attribute
{
    /// <summary>Creates the attribute for a square output of <paramref name="outputSize"/> by <paramref name="outputSize"/>.</summary>
    /// <param name="outputSize">The side of the output.</param>
    public AdaptiveAvgPool2dAttribute(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>Creates the attribute for an output of <paramref name="outputHeight"/> by <paramref name="outputWidth"/>.</summary>
    /// <param name="outputHeight">The rows of the output.</param>
    /// <param name="outputWidth">The columns of the output.</param>
    public AdaptiveAvgPool2dAttribute(int outputHeight, int outputWidth)
    {
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
    }

    /// <summary>The rows of the output.</summary>
    public int OutputHeight { get; }

    /// <summary>The columns of the output.</summary>
    public int OutputWidth { get; }
}
