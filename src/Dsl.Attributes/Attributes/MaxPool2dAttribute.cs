using System;

namespace Dsl;

/// <summary>
/// Declares max pooling over images <c>[C, H, W]</c>, like <c>torch.nn.MaxPool2d</c>: each output is
/// the largest value of its square window, and the gradient goes to the first largest one, as
/// PyTorch's does. No parameters.
/// </summary>
/// <example>
/// <code>
/// [MaxPool2d(2)] private partial Tensor Pool(Tensor x);   // [16, 8, 8] -> [16, 4, 4]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MaxPool2dAttribute : Attribute
{
    /// <summary>Creates the attribute for windows of <paramref name="kernelSize"/> by <paramref name="kernelSize"/>.</summary>
    /// <param name="kernelSize">The side of each square window.</param>
    public MaxPool2dAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>The side of each square window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows; when not set, <see cref="KernelSize"/> (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Padding on every side, which never wins the maximum; default 0, at most half the kernel.</summary>
    public int Padding { get; set; }
}
