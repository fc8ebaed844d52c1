using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The fused convolution of <c>convolution_fused.cl</c> (issue 19) as ILGPU
/// kernels, direct sums with one element of the result per step of a thread's grid-stride loop: the
/// forward pass an output element, the input gradient a pixel gathering the positions that read it,
/// the weight gradient a weight summing the batch in a fixed order. Weight [o, c·kh·kw], output
/// [batch, o, oh·ow]; every view starts at its operand's offset.
/// </summary>
internal static class IlgpuFusedConvolutionKernels
{
    /// <summary>y[e, oc, p] = Σ over taps t of w[oc, t]·x[e] at tap t of position p, zero in the padding.</summary>
    public static void Forward(int count, ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, IlgpuConvolutionShape s, int o)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int positions = s.Oh * s.Ow, p = z % positions, oc = z / positions % o, e = z / (positions * o);
            int top = (p / s.Ow * s.Sh) - s.Ph, left = (p % s.Ow * s.Sw) - s.Pw;
            float sum = 0f;
            for (int ch = 0; ch < s.C; ch++)
                for (int i = 0; i < s.Kh; i++)
                {
                    int yy = top + (i * s.Dh);
                    if (yy < 0 || yy >= s.H)
                        continue;
                    for (int j = 0; j < s.Kw; j++)
                    {
                        int xx = left + (j * s.Dw);
                        if (xx < 0 || xx >= s.W)
                            continue;
                        sum += weight[(oc * s.RowWidth) + (((ch * s.Kh) + i) * s.Kw) + j] * x[((((e * s.C) + ch) * s.H) + yy) * s.W + xx];
                    }
                }

            y[z] = sum;
        }
    }

    /// <summary>dx[e, ch, yy, xx] = Σ over the (i, j) and positions that read the pixel, then the output channels, of w·dy.</summary>
    public static void InputGrad(int count, ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, IlgpuConvolutionShape s, int o)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int xx = z % s.W, yy = z / s.W % s.H, ch = z / (s.W * s.H) % s.C, e = z / (s.W * s.H * s.C);
            float sum = 0f;
            for (int i = 0; i < s.Kh; i++)
            {
                int rows = yy + s.Ph - (i * s.Dh);
                if (rows < 0 || rows % s.Sh != 0 || rows / s.Sh >= s.Oh)
                    continue;
                for (int j = 0; j < s.Kw; j++)
                {
                    int cols = xx + s.Pw - (j * s.Dw);
                    if (cols < 0 || cols % s.Sw != 0 || cols / s.Sw >= s.Ow)
                        continue;
                    int p = (rows / s.Sh * s.Ow) + (cols / s.Sw), t = (((ch * s.Kh) + i) * s.Kw) + j;
                    for (int oc = 0; oc < o; oc++)
                        sum += weight[(oc * s.RowWidth) + t] * dy[((((e * o) + oc) * s.Oh * s.Ow)) + p];
                }
            }

            dx[z] = sum;
        }
    }

    /// <summary>dw[oc, t] = Σ over the examples, then the positions, of dy[e, oc, p]·x at tap t of position p.</summary>
    public static void WeightGrad(int count, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dw, IlgpuConvolutionShape s, int o, int batch)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int t = z % s.RowWidth, oc = z / s.RowWidth;
            int ch = t / (s.Kh * s.Kw), i = t / s.Kw % s.Kh, j = t % s.Kw;
            float sum = 0f;
            for (int e = 0; e < batch; e++)
                for (int oy = 0; oy < s.Oh; oy++)
                {
                    int yy = (oy * s.Sh) - s.Ph + (i * s.Dh);
                    if (yy < 0 || yy >= s.H)
                        continue;
                    for (int ox = 0; ox < s.Ow; ox++)
                    {
                        int xx = (ox * s.Sw) - s.Pw + (j * s.Dw);
                        if (xx < 0 || xx >= s.W)
                            continue;
                        sum += dy[((((e * o) + oc) * s.Oh) + oy) * s.Ow + ox] * x[((((e * s.C) + ch) * s.H) + yy) * s.W + xx];
                    }
                }

            dw[z] = sum;
        }
    }
}
