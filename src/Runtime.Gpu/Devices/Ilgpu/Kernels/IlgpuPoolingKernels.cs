using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The pooling kernels of <c>pooling.cl</c> (issue 19) as ILGPU kernels: the forward
/// passes an output per step of a thread's grid-stride loop, the gradients a pixel gathering the
/// windows that cover it in row-major order (no atomics), so each sums in the CPU's order. The planes
/// are (example, channel) pairs; <see cref="IlgpuConvolutionShape.C"/> is unused. Every view starts
/// at its operand's offset.
/// </summary>
internal static class IlgpuPoolingKernels
{
    /// <summary>y[plane, oy, ox] = values at the first maximum of the scores in window (oy, ox).</summary>
    public static void MaxPool(int count, ArrayView<float> scores, ArrayView<float> values, ArrayView<float> y, IlgpuConvolutionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int ox = z % s.Ow, oy = z / s.Ow % s.Oh, plane = z / (s.Ow * s.Oh);
            int at = FirstMaximum(scores, plane * s.H * s.W, s, (oy * s.Sh) - s.Ph, (ox * s.Sw) - s.Pw);
            y[z] = at < 0 ? 0f : values[(plane * s.H * s.W) + at];
        }
    }

    /// <summary>dx[plane, y, x] = the sum of d over the windows covering the pixel whose first maximum it is.</summary>
    public static void MaxPoolBackward(int count, ArrayView<float> scores, ArrayView<float> d, ArrayView<float> dx, IlgpuConvolutionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int xx = z % s.W, yy = z / s.W % s.H, plane = z / (s.W * s.H), pixel = (yy * s.W) + xx;
            float sum = 0f;
            for (int oy = 0; oy < s.Oh; oy++)
            {
                int rows = yy + s.Ph - (oy * s.Sh);
                if (rows < 0 || rows % s.Dh != 0 || rows / s.Dh >= s.Kh)
                    continue;
                for (int ox = 0; ox < s.Ow; ox++)
                {
                    int cols = xx + s.Pw - (ox * s.Sw);
                    if (cols < 0 || cols % s.Dw != 0 || cols / s.Dw >= s.Kw)
                        continue;
                    if (FirstMaximum(scores, plane * s.H * s.W, s, (oy * s.Sh) - s.Ph, (ox * s.Sw) - s.Pw) == pixel)
                        sum += d[(((plane * s.Oh) + oy) * s.Ow) + ox];
                }
            }

            dx[z] = sum;
        }
    }

    /// <summary>y[plane, oy, ox] = the sum of the window's pixels in window order, times <paramref name="scale"/> = 1/(kh·kw).</summary>
    public static void AvgPool(int count, ArrayView<float> x, ArrayView<float> y, IlgpuConvolutionShape s, float scale)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int ox = z % s.Ow, oy = z / s.Ow % s.Oh, plane = z / (s.Ow * s.Oh);
            float sum = 0f;
            for (int i = 0; i < s.Kh; i++)
            {
                int yy = (oy * s.Sh) - s.Ph + (i * s.Dh);
                if (yy < 0 || yy >= s.H)
                    continue;
                for (int j = 0; j < s.Kw; j++)
                {
                    int xx = (ox * s.Sw) - s.Pw + (j * s.Dw);
                    if (xx >= 0 && xx < s.W)
                        sum += x[(((plane * s.H) + yy) * s.W) + xx];
                }
            }

            y[z] = sum * scale;
        }
    }

    /// <summary>dx[plane, y, x] = the sum of d·<paramref name="scale"/> over the windows covering the pixel.</summary>
    public static void AvgPoolBackward(int count, ArrayView<float> d, ArrayView<float> dx, IlgpuConvolutionShape s, float scale)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int xx = z % s.W, yy = z / s.W % s.H, plane = z / (s.W * s.H);
            float sum = 0f;
            for (int oy = 0; oy < s.Oh; oy++)
            {
                int rows = yy + s.Ph - (oy * s.Sh);
                if (rows < 0 || rows % s.Dh != 0 || rows / s.Dh >= s.Kh)
                    continue;
                for (int ox = 0; ox < s.Ow; ox++)
                {
                    int cols = xx + s.Pw - (ox * s.Sw);
                    if (cols < 0 || cols % s.Dw != 0 || cols / s.Dw >= s.Kw)
                        continue;
                    float share = d[(((plane * s.Oh) + oy) * s.Ow) + ox] * scale;
                    sum += share;
                }
            }

            dx[z] = sum;
        }
    }

    /// <summary>
    /// The plane index of the first maximum of the window at (top, left) of the plane at
    /// <paramref name="plane"/>, padding skipped, a NaN once reached the maximum; −1 when the window holds no pixel.
    /// </summary>
    private static int FirstMaximum(ArrayView<float> scores, int plane, IlgpuConvolutionShape s, int top, int left)
    {
        int best = -1;
        float bestValue = 0f;
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
                if (best >= 0 && float.IsNaN(bestValue))
                    return best;
                float value = scores[plane + (yy * s.W) + xx];
                if (best < 0 || value > bestValue || float.IsNaN(value))
                {
                    best = (yy * s.W) + xx;
                    bestValue = value;
                }
            }
        }

        return best;
    }
}
