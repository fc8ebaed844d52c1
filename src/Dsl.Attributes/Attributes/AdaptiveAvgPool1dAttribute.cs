using System;

namespace Dsl;

/// <summary>
/// Declares adaptive average pooling over sequences <c>[C, L]</c>, like <c>torch.nn.AdaptiveAvgPool1d</c>:
/// the output is <c>[C, OutputSize]</c> whatever the length, output i the mean of positions
/// ⌊i·L/OutputSize⌋ to ⌈(i+1)·L/OutputSize⌉ − 1 (PyTorch's windows, which vary in size and may
/// overlap when the output does not divide the length). <c>[AdaptiveAvgPool1d(1)]</c> is global
/// average pooling. No parameters.
/// </summary>
/// <example>
/// <code>
/// [AdaptiveAvgPool1d(1)] private partial Tensor Global(Tensor x);   // [16, 50] -> [16, 1]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaptiveAvgPool1dAttribute : Attribute
{
    /// <summary>Creates the attribute for an output of <paramref name="outputSize"/> positions.</summary>
    /// <param name="outputSize">The length of the output (PyTorch's <c>output_size</c>).</param>
    public AdaptiveAvgPool1dAttribute(int outputSize) => OutputSize = outputSize;

    /// <summary>The length of the output.</summary>
    public int OutputSize { get; }
}
