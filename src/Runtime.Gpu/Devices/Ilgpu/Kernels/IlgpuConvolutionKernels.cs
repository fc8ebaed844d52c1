using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// A convolution's sizes as one kernel argument: the image (c, h, w), kernel (kh, kw), stride
/// (sh, sw), padding (ph, pw), dilation (dh, dw) and the output (oh, ow).
/// </summary>
internal readonly record struct IlgpuConvolutionShape(
    int C, int H, int W, int Kh, int Kw, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw, int Oh, int Ow)
{
    /// <summary>The length of a row of the columns, c·kh·kw (PyTorch's weight layout).</summary>
    public int RowWidth => C * Kh * Kw;
}

/// <summary>
/// The convolution kernels of <c>convolution.cl</c> (NCHW) as ILGPU kernels, with its work split:
/// im2col an element of the columns per step of a thread's grid-stride loop, col2im a pixel gathering what
/// im2col read from it in the CPU's order (no atomics). Every view starts at its operand's offset.
/// </summary>
internal static class IlgpuConvolutionKernels
{
    /// <summary>cols[e, p, (ch·kh + i)·kw + j] = x[e, ch, oy·sh − ph + i·dh, ox·sw − pw + j·dw], zero in the padding.</summary>
    public static void Im2Col(int count, ArrayView<float> x, ArrayView<float> cols, IlgpuConvolutionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
            Im2ColElement(z, x, cols, s);
    }

    /// <summary>x[e, ch, y, xx] = the sum of the columns' elements <see cref="Im2Col"/> read from that pixel, for each pixel below count.</summary>
    public static void Col2Im(int count, ArrayView<float> cols, ArrayView<float> x, IlgpuConvolutionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
            Col2ImElement(z, cols, x, s);
    }

    private static void Im2ColElement(int z, ArrayView<float> x, ArrayView<float> cols, IlgpuConvolutionShape s)
    {
        int rowWidth = s.RowWidth, k = z % rowWidth, p = z / rowWidth % (s.Oh * s.Ow), e = z / (rowWidth * s.Oh * s.Ow);
        int ch = k / (s.Kh * s.Kw), i = k / s.Kw % s.Kh, j = k % s.Kw;
        int y = (p / s.Ow * s.Sh) - s.Ph + (i * s.Dh), xx = (p % s.Ow * s.Sw) - s.Pw + (j * s.Dw);
        cols[z] = y >= 0 && y < s.H && xx >= 0 && xx < s.W ? x[((((e * s.C) + ch) * s.H) + y) * s.W + xx] : 0f;
    }

    private static void Col2ImElement(int z, ArrayView<float> cols, ArrayView<float> x, IlgpuConvolutionShape s)
    {
        int xx = z % s.W, y = z / s.W % s.H, ch = z / (s.W * s.H) % s.C, e = z / (s.W * s.H * s.C);
        int rowWidth = s.RowWidth;
        float sum = 0f;
        for (int oy = 0; oy < s.Oh; oy++)
        {
            int dy = y + s.Ph - (oy * s.Sh);
            if (dy < 0 || dy % s.Dh != 0 || dy / s.Dh >= s.Kh)
                continue;
            int i = dy / s.Dh;
            for (int ox = 0; ox < s.Ow; ox++)
            {
                int dx = xx + s.Pw - (ox * s.Sw);
                if (dx < 0 || dx % s.Dw != 0 || dx / s.Dw >= s.Kw)
                    continue;
                sum += cols[((((e * s.Oh) + oy) * s.Ow) + ox) * rowWidth + (((ch * s.Kh) + i) * s.Kw) + (dx / s.Dw)];
            }
        }

        x[z] = sum;
    }
}
