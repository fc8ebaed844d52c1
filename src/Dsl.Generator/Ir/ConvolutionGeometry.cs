using System;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>
/// The window of a convolution or pooling over an image [C, H, W]: kernel (kh, kw), stride
/// (sh, sw), zero padding (ph, pw) and dilation (dh, dw), PyTorch's arguments. An
/// <see cref="OpKind.Im2Col"/> or <see cref="OpKind.Col2Im"/> node carries it as its attributes.
/// </summary>
internal sealed record ConvolutionGeometry(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadHeight, int PadWidth, int DilationHeight, int DilationWidth)
{
    /// <summary>The node attributes [kh, kw, sh, sw, ph, pw, dh, dw].</summary>
    public EquatableArray<int> Attributes =>
        EquatableArray.Of(KernelHeight, KernelWidth, StrideHeight, StrideWidth, PadHeight, PadWidth, DilationHeight, DilationWidth);

    /// <summary>The geometry an Im2Col or Col2Im node carries.</summary>
    public static ConvolutionGeometry Of(Node node)
    {
        EquatableArray<int> a = node.Attributes;
        return new ConvolutionGeometry(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }

    /// <summary>The output rows of an input of <paramref name="height"/> rows: (h + 2ph − dh(kh − 1) − 1) / sh + 1; below 1 when the kernel does not fit.</summary>
    public int OutputHeight(int height) => Output(height, KernelHeight, StrideHeight, PadHeight, DilationHeight);

    /// <summary>The output columns of an input of <paramref name="width"/> columns.</summary>
    public int OutputWidth(int width) => Output(width, KernelWidth, StrideWidth, PadWidth, DilationWidth);

    /// <summary>The kernel's reach along the rows, dh(kh − 1) + 1 (what must fit in the padded height).</summary>
    public int ReachHeight => DilationHeight * (KernelHeight - 1) + 1;

    /// <summary>The kernel's reach along the columns.</summary>
    public int ReachWidth => DilationWidth * (KernelWidth - 1) + 1;

    /// <summary>Whether both axes have the same kernel, stride, padding and dilation (one number each, as a square window is written).</summary>
    public bool IsSquare => KernelHeight == KernelWidth && StrideHeight == StrideWidth && PadHeight == PadWidth && DilationHeight == DilationWidth;

    // Floor division of a non-negative count; a kernel longer than the padded input gives 0 or less.
    private static int Output(int length, int kernel, int stride, int pad, int dilation)
    {
        // In long: a user's padding or dilation near int's range must give a size, not a wrapped one
        // (the shape rule then reports a too-large tensor at the layer).
        long room = length + 2L * pad - (long)dilation * (kernel - 1) - 1;
        return room < 0 ? 0 : (int)Math.Min(room / stride + 1, int.MaxValue);
    }
}
