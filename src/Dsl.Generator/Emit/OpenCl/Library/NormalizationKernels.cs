using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Fusion;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The layer-normalisation kernels of <c>Dsl.Kernels.LayerNormKernels</c> in OpenCL C, one
/// work-item per row, with the CPU's formulas and summation order: the mean, then the centred
/// squares (two passes), r = 1/√(var + ε) with nn.LayerNorm's ε = 1e-5; the backward reads the
/// forward's x̂ and r.
/// </summary>
internal static class NormalizationKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    /// <summary>The row's mean and r, shared by the forward kernels; ε is the kernel plan's.</summary>
    private static readonly string Moments = $$"""
        const int n = cols;
            float sum = 0.0f;
            for (int c = 0; c < n; c++)
                sum += xr[c];
            const float mean = sum / n;
            float squares = 0.0f;
            for (int c = 0; c < n; c++)
                squares += (xr[c] - mean) * (xr[c] - mean);
            const float inverse = 1.0f / sqrt(squares / n + {{Literals.CFloat(KernelCallPlanner.LayerNormEpsilon)}});
        """;

    public static readonly KernelLauncher NormRowsLauncher = new("NormRows", $$"""
        /// <summary>Runs layer_norm_backward_rows, dx[r, :] = f(x̂[r, :], scale[r], g[r, :]): one work-item per row.</summary>
        private static void NormRows({{Kernel}} kernel, int rows, int cols, {{Buffer}} normalised, int normalisedOffset, {{Buffer}} scale, int scaleOffset, {{Buffer}} g, int gOffset, {{Buffer}} dx, int dxOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, normalised);
            kernel.SetArg(3, normalisedOffset);
            kernel.SetArg(4, scale);
            kernel.SetArg(5, scaleOffset);
            kernel.SetArg(6, g);
            kernel.SetArg(7, gOffset);
            kernel.SetArg(8, dx);
            kernel.SetArg(9, dxOffset);
            kernel.Launch(RoundUp(rows, 64));
        }
        """);

    public static readonly LibraryKernel LayerNorm = new("layer_norm_rows", $$"""
        // y[r, :] = (x[r, :] - mean) * r: layer_norm.
        __kernel void layer_norm_rows(const int rows, const int cols,
                                      __global const float* x, const int xo,
                                      __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            {{Moments}}
            __global float* yr = y + yo + r * cols;
            for (int c = 0; c < n; c++)
                yr[c] = (xr[c] - mean) * inverse;
        }
        """, RowKernels.RowsLauncher);

    public static readonly LibraryKernel LayerNormScale = new("layer_norm_scale_rows", $$"""
        // y[r] = 1 / sqrt(var(x[r, :]) + eps): layer_norm_scale.
        __kernel void layer_norm_scale_rows(const int rows, const int cols,
                                            __global const float* x, const int xo,
                                            __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            {{Moments}}
            y[yo + r] = inverse;
        }
        """, RowKernels.RowsLauncher);

    public static readonly LibraryKernel LayerNormBackward = new("layer_norm_backward_rows", """
        // dx[r, :] = scale[r] * (g - mean(g) - xhat * mean(g * xhat)): layer_norm_backward, from the
        // forward's normalised rows xhat and scales.
        __kernel void layer_norm_backward_rows(const int rows, const int cols,
                                               __global const float* xhat, const int xo,
                                               __global const float* scale, const int so,
                                               __global const float* g, const int go,
                                               __global float* dx, const int dxo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = xhat + xo + r * cols;
            __global const float* gr = g + go + r * cols;
            float sumG = 0.0f, sumGx = 0.0f;
            for (int c = 0; c < cols; c++)
            {
                sumG += gr[c];
                sumGx += gr[c] * xr[c];
            }
            const float meanG = sumG / cols, meanGx = sumGx / cols, inverse = scale[so + r];
            __global float* dr = dx + dxo + r * cols;
            for (int c = 0; c < cols; c++)
                dr[c] = inverse * (gr[c] - meanG - xr[c] * meanGx);
        }
        """, NormRowsLauncher);
}
