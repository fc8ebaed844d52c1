using System;

namespace Dsl;

/// <summary>
/// Declares a 2-D convolution over images <c>[C, H, W]</c>, like <c>torch.nn.Conv2d</c>: the weight
/// has shape <c>[out, C/Groups, kh, kw]</c> and the bias <c>[out]</c> (PyTorch's layouts and <c>state_dict</c>
/// names, <c>conv1.weight</c>, <c>conv1.bias</c>), the output <c>[out, OH, OW]</c> with
/// <c>OH = (H + 2·PaddingHeight − DilationHeight·(kh − 1) − 1) / StrideHeight + 1</c> and OW likewise.
/// The input channels are inferred from the argument at the call site, and the output sizes are
/// computed at compile time. <see cref="Stride"/>, <see cref="Padding"/> and <see cref="Dilation"/>
/// set both axes; <see cref="StrideHeight"/>, <see cref="StrideWidth"/> and the like set one
/// (PyTorch's tuple <c>stride=(2, 1)</c> is <c>StrideHeight = 2, StrideWidth = 1</c>).
/// </summary>
/// <example>
/// <code>
/// [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv1(Tensor x);              // [1, 8, 8] -> [16, 8, 8]
/// [Conv2d(8, 1, 5, PaddingWidth = 2)] private partial Tensor Rows(Tensor x);        // kernel 1x5: [4, 6, 6] -> [8, 6, 6]
/// [Conv2d(16, 3, Padding = 1, Groups = 16)] private partial Tensor Depthwise(Tensor x); // [16, 8, 8] -> [16, 8, 8]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class Conv2dAttribute : Attribute
{
    /// <summary>Creates the attribute for a convolution of <paramref name="outChannels"/> square <paramref name="kernelSize"/> kernels.</summary>
    /// <param name="outChannels">The number of output channels (filters).</param>
    /// <param name="kernelSize">The side of each square kernel.</param>
    public Conv2dAttribute(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>Creates the attribute for a convolution of <paramref name="outChannels"/> kernels of <paramref name="kernelHeight"/> by <paramref name="kernelWidth"/>.</summary>
    /// <param name="outChannels">The number of output channels (filters).</param>
    /// <param name="kernelHeight">The rows of each kernel.</param>
    /// <param name="kernelWidth">The columns of each kernel.</param>
    public Conv2dAttribute(int outChannels, int kernelHeight, int kernelWidth)
    {
        // Not validated here: the generator reports bad sizes at the user's line.
        OutChannels = outChannels;
        KernelSize = kernelHeight;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The side of each square kernel (the height of a rectangular one).</summary>
    public int KernelSize { get; }

    /// <summary>The rows of each kernel.</summary>
    public int KernelHeight { get; }

    /// <summary>The columns of each kernel.</summary>
    public int KernelWidth { get; }

    /// <summary>The step between neighbouring windows, in both directions; default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the image; default 0.</summary>
    public int Padding { get; set; }

    /// <summary>The spacing between a kernel's taps; default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>The step between neighbouring windows down the rows; when not set, <see cref="Stride"/>.</summary>
    public int StrideHeight { get; set; } = 1;

    /// <summary>The step between neighbouring windows along the columns; when not set, <see cref="Stride"/>.</summary>
    public int StrideWidth { get; set; } = 1;

    /// <summary>Zero rows added above and below; when not set, <see cref="Padding"/>.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Zero columns added left and right; when not set, <see cref="Padding"/>.</summary>
    public int PaddingWidth { get; set; }

    /// <summary>The spacing between a kernel's taps down the rows; when not set, <see cref="Dilation"/>.</summary>
    public int DilationHeight { get; set; } = 1;

    /// <summary>The spacing between a kernel's taps along the columns; when not set, <see cref="Dilation"/>.</summary>
    public int DilationWidth { get; set; } = 1;

    /// <summary>
    /// The number of groups the channels are split into (PyTorch's <c>groups</c>); default 1. Each
    /// group's <c>out/Groups</c> kernels see only its <c>C/Groups</c> input channels, so both counts
    /// must be divisible by it; <c>Groups = C</c> is a depthwise convolution.
    /// </summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer adds a learned bias of shape <c>[OutChannels]</c>; default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;
}
