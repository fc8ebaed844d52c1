using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The layer-normalisation kernels of <c>Dsl.Kernels.LayerNormKernels</c> in OpenCL C, one
/// work-item per row, with the CPU's formulas and summation order: the mean, then the centred
/// squares (two passes), r = 1/√(var + ε) with nn.LayerNorm's ε = 1e-5.
/// </summary>
internal static class NormalizationKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    /// <summary>The row's mean and r, shared by the three kernels.</summary>
    private const string Moments = """
        const int n = cols;
            float sum = 0.0f;
            for (int c = 0; c < n; c++)
                sum += xr[c];
            const float mean = sum / n;
            float squares = 0.0f;
            for (int c = 0; c < n; c++)
                squares += (xr[c] - mean) * (xr[c] - mean);
            const float inverse = 1.0f / sqrt(squares / n + 1e-5f);
        """;

    public static readonly KernelLauncher PairRowsLauncher = new("PairRows", $$"""
        /// <summary>Runs a row kernel of two same-shaped inputs, y[r, :] = f(a[r, :], b[r, :]): one work-item per row.</summary>
        private static void PairRows({{Kernel}} kernel, int rows, int cols, {{Buffer}} a, int aOffset, {{Buffer}} b, int bOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, a);
            kernel.SetArg(3, aOffset);
            kernel.SetArg(4, b);
            kernel.SetArg(5, bOffset);
            kernel.SetArg(6, y);
            kernel.SetArg(7, yOffset);
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

    public static readonly LibraryKernel LayerNormBackward = new("layer_norm_backward_rows", $$"""
        // dx[r, :] = inverse * (g - mean(g) - xhat * mean(g * xhat)): layer_norm_backward.
        __kernel void layer_norm_backward_rows(const int rows, const int cols,
                                               __global const float* x, const int xo,
                                               __global const float* g, const int go,
                                               __global float* dx, const int dxo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            __global const float* gr = g + go + r * cols;
            {{Moments}}
            float sumG = 0.0f, sumGx = 0.0f;
            for (int c = 0; c < n; c++)
            {
                sumG += gr[c];
                sumGx += gr[c] * (xr[c] - mean) * inverse;
            }
            const float meanG = sumG / n, meanGx = sumGx / n;
            __global float* dr = dx + dxo + r * cols;
            for (int c = 0; c < n; c++)
                dr[c] = inverse * (gr[c] - meanG - (xr[c] - mean) * inverse * meanGx);
        }
        """, PairRowsLauncher);
}
