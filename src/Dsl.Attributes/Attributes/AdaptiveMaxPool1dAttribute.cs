using System;

namespace Dsl;

/// <summary>
/// Declares adaptive max pooling over sequences <c>[C, L]</c>, like <c>torch.nn.AdaptiveMaxPool1d</c>:
/// the output is <c>[C, OutputSize]</c> whatever the length, output i the largest of positions
/// ⌊i·L/OutputSize⌋ to ⌈(i+1)·L/OutputSize⌉ − 1 (PyTorch's windows, which vary in size and may
/// overlap), and the gradient goes to the first largest one. No parameters.
/// </summary>
/// <example>
/// <code>
/// [AdaptiveMaxPool1d(4)] private partial Tensor Pool(Tensor x);   // [16, 50] -> [16, 4]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AdaptiveMaxPool1dAttribute : Attribute
{
    /// <summary>Creates the attribute for an output of <paramref name="outputSize"/> positions.</summary>
    /// <param name="outputSize">The length of the output (PyTorch's <c>output_size</c>).</param>
    public AdaptiveMaxPool1dAttribute(int outputSize) => OutputSize = outputSize;

    /// <summary>The length of the output.</summary>
    public int OutputSize { get; }
}
