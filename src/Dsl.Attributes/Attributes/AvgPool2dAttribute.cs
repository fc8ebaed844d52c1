using System;

namespace Dsl;

/// <summary>
/// Declares average pooling over images <c>[C, H, W]</c>, like <c>torch.nn.AvgPool2d</c>: each output is
/// the mean of its square window. No parameters.
/// </summary>
/// <example>
/// <code>
/// [AvgPool2d(2)] private partial Tensor Pool(Tensor x);   // [16, 8, 8] -> [16, 4, 4]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AvgPool2dAttribute : Attribute
{
    /// <summary>Creates the attribute for windows of <paramref name="kernelSize"/> by <paramref name="kernelSize"/>.</summary>
    /// <param name="kernelSize">The side of each square window.</param>
    public AvgPool2dAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>The side of each square window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows; when not set, <see cref="KernelSize"/> (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Zeros added on every side, counted in each average as PyTorch does by default (count_include_pad); default 0, at most half the kernel.</summary>
    public int Padding { get; set; }
}
