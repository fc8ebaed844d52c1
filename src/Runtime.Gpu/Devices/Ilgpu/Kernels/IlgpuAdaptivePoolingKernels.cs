using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>An adaptive pooling's image (h, w) and output (oh, ow) sizes.</summary>
internal readonly record struct IlgpuAdaptiveShape(int H, int W, int Oh, int Ow);

/// <summary>
/// The adaptive pooling kernels of <c>pooling.cl</c> (issue 19) as ILGPU kernels, over PyTorch's
/// windows: along an axis of n cells pooled to m, window i is [⌊i·n/m⌋, ⌈(i+1)·n/m⌉), and a pixel at
/// p lies in windows ⌊p·m/n⌋ to ⌊((p+1)·m − 1)/n⌋. The forward passes an output per step of a
/// thread's grid-stride loop, the gradients a pixel gathering the windows that cover it in row-major
/// order (no atomics), so each sums in the CPU's order. The planes are (example, channel) pairs.
/// Every view starts at its operand's offset.
/// </summary>
internal static class IlgpuAdaptivePoolingKernels
{
    /// <summary>y[plane, oy, ox] = values at the first maximum of the scores in window (oy, ox).</summary>
    public static void AdaptiveMaxPool(int count, ArrayView<float> scores, ArrayView<float> values, ArrayView<float> y, IlgpuAdaptiveShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int ox = z % s.Ow, oy = z / s.Ow % s.Oh, plane = z / (s.Ow * s.Oh);
            y[z] = values[(plane * s.H * s.W) + FirstMaximum(scores, plane * s.H * s.W, s, oy, ox)];
        }
    }

    /// <summary>dx[plane, y, x] = the sum of d over the windows covering the pixel whose first maximum it is.</summary>
    public static void AdaptiveMaxPoolBackward(int count, ArrayView<float> scores, ArrayView<float> d, ArrayView<float> dx, IlgpuAdaptiveShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int xx = z % s.W, yy = z / s.W % s.H, plane = z / (s.W * s.H), pixel = (yy * s.W) + xx;
            float sum = 0f;
            for (int oy = FirstCovering(yy, s.Oh, s.H); oy <= LastCovering(yy, s.Oh, s.H); oy++)
            {
                for (int ox = FirstCovering(xx, s.Ow, s.W); ox <= LastCovering(xx, s.Ow, s.W); ox++)
                {
                    if (FirstMaximum(scores, plane * s.H * s.W, s, oy, ox) == pixel)
                        sum += d[(((plane * s.Oh) + oy) * s.Ow) + ox];
                }
            }

            dx[z] = sum;
        }
    }

    /// <summary>y[plane, oy, ox] = the sum of the window's pixels in row-major order, times 1/(its size).</summary>
    public static void AdaptiveAvgPool(int count, ArrayView<float> x, ArrayView<float> y, IlgpuAdaptiveShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int ox = z % s.Ow, oy = z / s.Ow % s.Oh, plane = z / (s.Ow * s.Oh);
            int top = Start(oy, s.Oh, s.H), bottom = End(oy, s.Oh, s.H), left = Start(ox, s.Ow, s.W), right = End(ox, s.Ow, s.W);
            float sum = 0f;
            for (int yy = top; yy < bottom; yy++)
            {
                for (int xx = left; xx < right; xx++)
                    sum += x[(((plane * s.H) + yy) * s.W) + xx];
            }

            y[z] = sum * Scale(s, oy, ox);
        }
    }

    /// <summary>dx[plane, y, x] = the sum of d·1/(the window's size) over the windows covering the pixel.</summary>
    public static void AdaptiveAvgPoolBackward(int count, ArrayView<float> d, ArrayView<float> dx, IlgpuAdaptiveShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int xx = z % s.W, yy = z / s.W % s.H, plane = z / (s.W * s.H);
            float sum = 0f;
            for (int oy = FirstCovering(yy, s.Oh, s.H); oy <= LastCovering(yy, s.Oh, s.H); oy++)
            {
                for (int ox = FirstCovering(xx, s.Ow, s.W); ox <= LastCovering(xx, s.Ow, s.W); ox++)
                {
                    float share = d[(((plane * s.Oh) + oy) * s.Ow) + ox] * Scale(s, oy, ox);
                    sum += share;
                }
            }

            dx[z] = sum;
        }
    }

    /// <summary>⌊i·n/m⌋, the first cell of window i of m over n cells.</summary>
    private static int Start(int i, int m, int n) => (int)((long)i * n / m);

    /// <summary>⌈(i+1)·n/m⌉, one past the last cell of window i.</summary>
    private static int End(int i, int m, int n) => (int)((((long)(i + 1) * n) + m - 1) / m);

    /// <summary>The first window of m over n cells that holds cell p.</summary>
    private static int FirstCovering(int p, int m, int n) => (int)((long)p * m / n);

    /// <summary>The last window of m over n cells that holds cell p.</summary>
    private static int LastCovering(int p, int m, int n) => (int)((((long)(p + 1) * m) - 1) / n);

    /// <summary>1/(rows·columns) of window (oy, ox), a float division as the CPU's.</summary>
    private static float Scale(IlgpuAdaptiveShape s, int oy, int ox) =>
        1f / ((End(oy, s.Oh, s.H) - Start(oy, s.Oh, s.H)) * (End(ox, s.Ow, s.W) - Start(ox, s.Ow, s.W)));

    /// <summary>The plane index of the first maximum of window (oy, ox) in row-major order, a NaN once reached the maximum.</summary>
    private static int FirstMaximum(ArrayView<float> scores, int plane, IlgpuAdaptiveShape s, int oy, int ox)
    {
        int top = Start(oy, s.Oh, s.H), bottom = End(oy, s.Oh, s.H), left = Start(ox, s.Ow, s.W), right = End(ox, s.Ow, s.W);
        int best = (top * s.W) + left;
        float bestValue = scores[plane + best];
        for (int yy = top; yy < bottom; yy++)
        {
            for (int xx = left; xx < right; xx++)
            {
                float value = scores[plane + (yy * s.W) + xx];
                if (value > bestValue || (float.IsNaN(value) && !float.IsNaN(bestValue)))
                {
                    best = (yy * s.W) + xx;
                    bestValue = value;
                }
            }
        }

        return best;
    }
}
