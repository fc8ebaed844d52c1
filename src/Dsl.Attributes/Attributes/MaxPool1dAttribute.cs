using System;

namespace Dsl;

/// <summary>
/// Declares max pooling over sequences <c>[C, L]</c>, like <c>torch.nn.MaxPool1d</c>: each output is
/// the largest value of its window of <c>KernelSize</c> taps (spaced by <c>Dilation</c>), the output
/// <c>[C, OL]</c> with <c>OL = (L + 2·Padding − Dilation·(KernelSize − 1) − 1) / Stride + 1</c>, and the
/// gradient goes to the first largest one, as PyTorch's does. No parameters.
/// </summary>
/// <example>
/// <code>
/// [MaxPool1d(2)] private partial Tensor Pool(Tensor x);   // [16, 32] -> [16, 16]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MaxPool1dAttribute : Attribute
{
    /// <summary>Creates the attribute for windows of <paramref name="kernelSize"/> taps.</summary>
    /// <param name="kernelSize">The taps of each window (PyTorch's <c>kernel_size</c>).</param>
    public MaxPool1dAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>The taps of each window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows; when not set, <see cref="KernelSize"/> (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Padding at both ends, which never wins the maximum; default 0, at most half the kernel.</summary>
    public int Padding { get; set; }

    /// <summary>The spacing between a window's taps; default 1.</summary>
    public int Dilation { get; set; } = 1;
}
