using System;

namespace Dsl.Kernels;

// Average pooling and its gradient, plane by plane: each window's real taps summed in window order
// (the padding adds nothing) and scaled by 1/(kh·kw), the whole window's size; the gradient adds
// each window's scaled share into its real taps, window after window.
public static unsafe partial class Pooling
{
    /// <summary>1/(kh·kw) rounded once to float, the factor every average uses.</summary>
    private static float Reciprocal(in PoolGeometry g) => (float)(1.0 / ((long)g.KernelHeight * g.KernelWidth));

    /// <summary>Units are (example, channel) planes.</summary>
    private struct AvgPoolPlanes : IRowKernel
    {
        public float* X;
        public float* Y;
        public PoolGeometry G;

        public readonly void Execute(int start, int end)
        {
            PoolGeometry g = G;
            float scale = Reciprocal(g);
            for (int plane = start; plane < end; plane++)
            {
                float* x = X + (long)plane * g.Plane, y = Y + (long)plane * g.Pooled;
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    int top = oy * g.StrideHeight - g.PadHeight;
                    (int i0, int i1) = PoolGeometry.Inside(top, g.KernelHeight, g.DilationHeight, g.Height);
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        int left = ox * g.StrideWidth - g.PadWidth;
                        (int j0, int j1) = PoolGeometry.Inside(left, g.KernelWidth, g.DilationWidth, g.Width);
                        float sum = 0f;
                        for (int i = i0; i < i1; i++)
                        {
                            float* row = x + (top + i * g.DilationHeight) * g.Width + left;
                            for (int j = j0; j < j1; j++)
                                sum += row[j * g.DilationWidth];
                        }
                        y[oy * g.OutWidth + ox] = sum * scale;
                    }
                }
            }
        }
    }

    /// <summary>Units are (example, channel) planes: each is cleared, then every window's share added in row-major order.</summary>
    private struct AvgPoolBackwardPlanes : IRowKernel
    {
        public float* D;
        public float* Dx;
        public PoolGeometry G;

        public readonly void Execute(int start, int end)
        {
            PoolGeometry g = G;
            float scale = Reciprocal(g);
            for (int plane = start; plane < end; plane++)
            {
                float* d = D + (long)plane * g.Pooled, dx = Dx + (long)plane * g.Plane;
                new Span<float>(dx, g.Plane).Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                {
                    int top = oy * g.StrideHeight - g.PadHeight;
                    (int i0, int i1) = PoolGeometry.Inside(top, g.KernelHeight, g.DilationHeight, g.Height);
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        int left = ox * g.StrideWidth - g.PadWidth;
                        (int j0, int j1) = PoolGeometry.Inside(left, g.KernelWidth, g.DilationWidth, g.Width);
                        float share = d[oy * g.OutWidth + ox] * scale;
                        for (int i = i0; i < i1; i++)
                        {
                            float* row = dx + (top + i * g.DilationHeight) * g.Width + left;
                            for (int j = j0; j < j1; j++)
                                row[j * g.DilationWidth] += share;
                        }
                    }
                }
            }
        }
    }
}
