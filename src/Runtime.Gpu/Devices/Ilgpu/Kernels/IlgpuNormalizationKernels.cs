using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// Layer normalisation of <c>normalization.cl</c> as ILGPU kernels, one thread group per row
/// (grid-stride over the rows), with the CPU's two passes (the mean, then the centred squares) reduced in shared
/// memory: r = 1 / sqrt(var + ε); the backward reads the forward's xhat and r.
/// </summary>
internal static class IlgpuNormalizationKernels
{
    /// <summary>
    /// Each row below rows (a group's, grid-stride over the rows): y = (x - mean)·r, or, when
    /// <paramref name="scaleOnly"/> is 1, y[row] = r alone (<c>layer_norm_scale</c>).
    /// </summary>
    public static void LayerNormRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols, float epsilon, int scaleOnly)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        for (int r = Grid.IdxX; r < rows; r += Grid.DimX)
            LayerNormRow(scratch, r, x, y, cols, epsilon, scaleOnly);
    }

    /// <summary>Each row below rows (a group's): dx = scale[r]·(g - mean(g) - xhat·mean(g·xhat)).</summary>
    public static void LayerNormBackwardRows(int rows, ArrayView<float> xhat, ArrayView<float> scale, ArrayView<float> g, ArrayView<float> dx, int cols)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        for (int r = Grid.IdxX; r < rows; r += Grid.DimX)
            LayerNormBackwardRow(scratch, r, xhat, scale, g, dx, cols);
    }

    private static void LayerNormRow(ArrayView<float> scratch, int r, ArrayView<float> x, ArrayView<float> y, int cols, float epsilon, int scaleOnly)
    {
        int t = Group.IdxX, size = Group.DimX, row = r * cols;
        float sum = 0f;
        for (int c = t; c < cols; c += size)
            sum += x[row + c];
        float mean = GroupReduction.Sum(scratch, sum) / cols;
        float squares = 0f;
        for (int c = t; c < cols; c += size)
        {
            float centred = x[row + c] - mean;
            squares += centred * centred;
        }

        float inverse = 1f / MathF.Sqrt((GroupReduction.Sum(scratch, squares) / cols) + epsilon);
        if (scaleOnly != 0)
        {
            if (t == 0)
                y[r] = inverse;
            return;
        }

        for (int c = t; c < cols; c += size)
            y[row + c] = (x[row + c] - mean) * inverse;
    }

    private static void LayerNormBackwardRow(ArrayView<float> scratch, int r, ArrayView<float> xhat, ArrayView<float> scale, ArrayView<float> g, ArrayView<float> dx, int cols)
    {
        int t = Group.IdxX, size = Group.DimX, row = r * cols;
        float sumG = 0f, sumGx = 0f;
        for (int c = t; c < cols; c += size)
        {
            sumG += g[row + c];
            sumGx += g[row + c] * xhat[row + c];
        }

        float meanG = GroupReduction.Sum(scratch, sumG) / cols;
        float meanGx = GroupReduction.Sum(scratch, sumGx) / cols;
        float inverse = scale[r];
        for (int c = t; c < cols; c += size)
            dx[row + c] = inverse * (g[row + c] - meanG - (xhat[row + c] * meanGx));
    }
}
