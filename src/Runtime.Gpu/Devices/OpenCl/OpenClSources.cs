using System;
using System.IO;

namespace Dsl;

/// <summary>
/// The OpenCL C 1.2 sources embedded in the runtime (<c>Devices/OpenCl/Kernels/*.cl</c>), read once:
/// the kernel library's, the optimizer's, and the helper functions fused kernels call.
/// </summary>
internal static class OpenClSources
{
    /// <summary>Exact GELU, its derivative and its factor Φ (<c>dsl_gelu</c>, <c>dsl_gelu_derivative</c>, <c>dsl_normal_cdf</c>), for fused kernels.</summary>
    public static readonly string Gelu = Read("gelu.cl");

    /// <summary>Philox4x32-10 and the dropout keep test <c>dsl_dropout</c>, for fused kernels and <c>dropout.cl</c>.</summary>
    public static readonly string Philox = Read("philox.cl");

    /// <summary>The dropout kernel (needs <see cref="Philox"/> before it).</summary>
    public static readonly string Dropout = Read("dropout.cl");

    /// <summary>The GEMM kernels (built with -DTILE and -DBLOCK).</summary>
    public static readonly string Gemm = Read("gemm.cl");

    /// <summary>The row kernels: softmaxes, sums, cross-entropy, accuracy, one-hot, expand, tile.</summary>
    public static readonly string Rows = Read("rows.cl");

    /// <summary>Attention's head movement.</summary>
    public static readonly string Heads = Read("heads.cl");

    /// <summary>Axis swaps, block copies, the causal mask, gather and scatter-add.</summary>
    public static readonly string Movement = Read("movement.cl");

    /// <summary>Layer normalisation, forward and backward.</summary>
    public static readonly string Normalization = Read("normalization.cl");

    /// <summary>Fill, copy, scale and the two-stage reductions.</summary>
    public static readonly string Vectors = Read("vectors.cl");

    /// <summary>Im2col, its transpose col2im, and max-pooling's mask (issue 19).</summary>
    public static readonly string Convolution = Read("convolution.cl");

    /// <summary>The fused per-example convolution and its two gradients as direct sums (issue 19).</summary>
    public static readonly string FusedConvolution = Read("convolution_fused.cl");

    /// <summary>The fused convolution and its gradients as tiled implicit GEMMs (issues 17/19; needs <see cref="Gemm"/>'s tiling macros before it).</summary>
    public static readonly string TiledConvolution = Read("convolution_tiled.cl");

    /// <summary>Max and average pooling and their gradients, window by window (issue 19).</summary>
    public static readonly string Pooling = Read("pooling.cl");

    /// <summary>Fused multi-head attention and its gradient, a row per work-item (issue 20; needs <see cref="Philox"/> before it).</summary>
    public static readonly string Attention = Read("attention.cl");

    /// <summary>The optimizer's norm and updates; a program of its own (its FP_CONTRACT pragma would reach every kernel after it).</summary>
    public static readonly string Optimizer = Read("optimizer.cl");

    /// <summary>The text of an embedded <c>.cl</c> file, with \n line ends and no trailing newline.</summary>
    private static string Read(string file)
    {
        string name = "Dsl.OpenCl.Kernels." + file;
        using Stream stream = typeof(OpenClSources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The runtime assembly lacks its embedded OpenCL source '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n").TrimEnd('\n');
    }
}
