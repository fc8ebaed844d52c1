using System;

namespace Dsl;

/// <summary>
/// Declares a 2-D convolution over images <c>[C, H, W]</c>, like <c>torch.nn.Conv2d</c>: the weight
/// has shape <c>[out, C, k, k]</c> and the bias <c>[out]</c> (PyTorch's layouts and <c>state_dict</c>
/// names, <c>conv1.weight</c>, <c>conv1.bias</c>), the output <c>[out, OH, OW]</c> with
/// <c>OH = (H + 2·Padding − Dilation·(k − 1) − 1) / Stride + 1</c>. The input channels are inferred
/// from the argument at the call site, and the output sizes are computed at compile time.
/// </summary>
/// <example>
/// <code>
/// [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv1(Tensor x);   // [1, 8, 8] -> [16, 8, 8]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class Conv2dAttribute : Attribute
{
    /// <summary>Creates the attribute for a convolution of <paramref name="outChannels"/> square <paramref name="kernelSize"/> kernels.</summary>
    /// <param name="outChannels">The number of output channels (filters).</param>
    /// <param name="kernelSize">The side of each square kernel.</param>
    public Conv2dAttribute(int outChannels, int kernelSize)
    {
        // Not validated here: the generator reports bad sizes at the user's line.
        OutChannels = outChannels;
        KernelSize = kernelSize;
    }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The side of each square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows, in both directions; default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the image; default 0.</summary>
    public int Padding { get; set; }

    /// <summary>The spacing between a kernel's taps; default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether the layer adds a learned bias of shape <c>[OutChannels]</c>; default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;
}
