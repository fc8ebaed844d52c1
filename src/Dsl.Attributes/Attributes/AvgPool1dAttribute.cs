using System;

namespace Dsl;

/// <summary>
/// Declares average pooling over sequences <c>[C, L]</c>, like <c>torch.nn.AvgPool1d</c>: each output
/// is the mean of its window of <c>KernelSize</c> values, padding counted as zeros (PyTorch's default
/// <c>count_include_pad</c>), the output <c>[C, OL]</c> with <c>OL = (L + 2·Padding − KernelSize) / Stride + 1</c>.
/// No parameters.
/// </summary>
/// <example>
/// <code>
/// [AvgPool1d(3, Stride = 2, Padding = 1)] private partial Tensor Pool(Tensor x);   // [16, 32] -> [16, 16]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AvgPool1dAttribute : Attribute
{
    /// <summary>Creates the attribute for windows of <paramref name="kernelSize"/> values.</summary>
    /// <param name="kernelSize">The values of each window (PyTorch's <c>kernel_size</c>).</param>
    public AvgPool1dAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>The values of each window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows; when not set, <see cref="KernelSize"/> (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Zeros at both ends, counted in each window's mean; default 0, at most half the kernel.</summary>
    public int Padding { get; set; }
}
