using System;

namespace Dsl;

/// <summary>
/// Declares max pooling over images <c>[C, H, W]</c>, like <c>torch.nn.MaxPool2d</c>: each output is
/// the largest value of its window (square, or <c>kernelHeight</c> by <c>kernelWidth</c>), and the gradient goes to the first largest one, as
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
    public MaxPool2dAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>Creates the attribute for windows of <paramref name="kernelHeight"/> by <paramref name="kernelWidth"/>.</summary>
    /// <param name="kernelHeight">The rows of each window.</param>
    /// <param name="kernelWidth">The columns of each window.</param>
    public MaxPool2dAttribute(int kernelHeight, int kernelWidth)
    {
        KernelSize = kernelHeight;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>The side of each square window (the height of a rectangular one).</summary>
    public int KernelSize { get; }

    /// <summary>The rows of each window.</summary>
    public int KernelHeight { get; }

    /// <summary>The columns of each window.</summary>
    public int KernelWidth { get; }

    /// <summary>The step between neighbouring windows; when not set, <see cref="KernelSize"/> (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Padding on every side, which never wins the maximum; default 0, at most half the kernel.</summary>
    public int Padding { get; set; }

    /// <summary>The step down the rows; when not set, <see cref="Stride"/>, or the window's height.</summary>
    public int StrideHeight { get; set; }

    /// <summary>The step along the columns; when not set, <see cref="Stride"/>, or the window's width.</summary>
    public int StrideWidth { get; set; }

    /// <summary>Padding above and below; when not set, <see cref="Padding"/>; at most half the window's height.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Padding left and right; when not set, <see cref="Padding"/>; at most half the window's width.</summary>
    public int PaddingWidth { get; set; }
}
