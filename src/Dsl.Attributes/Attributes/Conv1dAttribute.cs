using System;

namespace Dsl;

/// <summary>
/// Declares a 1-D convolution over sequences <c>[C, L]</c>, like <c>torch.nn.Conv1d</c>: the weight
/// has shape <c>[out, C/Groups, k]</c> and the bias <c>[out]</c> (PyTorch's layouts and <c>state_dict</c>
/// names, <c>conv1.weight</c>, <c>conv1.bias</c>), the output <c>[out, OL]</c> with
/// <c>OL = (L + 2·Padding − Dilation·(k − 1) − 1) / Stride + 1</c>. The input channels are inferred
/// from the argument at the call site, and the output sizes are computed at compile time.
/// </summary>
/// <example>
/// <code>
/// [Conv1d(8, 5, Padding = 2)] private partial Tensor Conv(Tensor x);   // [4, 32] -> [8, 32]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class Conv1dAttribute : Attribute
{
    /// <summary>Creates the attribute for a convolution of <paramref name="outChannels"/> <paramref name="kernelSize"/> kernels.</summary>
    /// <param name="outChannels">The number of output channels (filters).</param>
    /// <param name="kernelSize">The length of each kernel.</param>
    public Conv1dAttribute(int outChannels, int kernelSize)
    {
        // Not validated here: the generator reports bad sizes at the user's line.
        OutChannels = outChannels;
        KernelSize = kernelSize;
    }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The length of each kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The step between neighbouring windows; default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added at both ends of the sequence; default 0.</summary>
    public int Padding { get; set; }

    /// <summary>The spacing between a kernel's taps; default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>The number of groups the channels are split into (PyTorch's <c>groups</c>); default 1. Both channel counts must be divisible by it.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer adds a learned bias of shape <c>[OutChannels]</c>; default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;
}
