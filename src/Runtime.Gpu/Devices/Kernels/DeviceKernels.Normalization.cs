namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>y[r, :] = (x[r, :] − mean)·(1/√(var + epsilon)): layer normalisation without affine (<c>LayerNormKernels.Normalize</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="epsilon">Added to the variance (nn.LayerNorm's 1e-5).</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="y">The normalised rows, rows·cols floats.</param>
    public void LayerNorm(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrices(rows, cols, x, y);
        LayerNormCore(rows, cols, epsilon, x, y);
    }

    /// <summary>inverse[r] = 1/√(var(x[r, :]) + epsilon): what the backward pass scales by (<c>LayerNormKernels.InverseDeviation</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="inverse">The inverse deviations, rows floats.</param>
    public void LayerNormInverseDeviation(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice inverse)
    {
        CheckMatrix(rows, cols, x, nameof(x));
        CheckFloats(inverse, rows, nameof(inverse));
        LayerNormInverseDeviationCore(rows, cols, epsilon, x, inverse);
    }

    /// <summary>
    /// dx[r, :] = scale[r]·(g − mean(g) − x̂·mean(g·x̂)): layer normalisation's backward pass from the
    /// forward's normalised rows x̂ and inverse deviations (<c>LayerNormKernels.Backward</c>).
    /// </summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="normalised">The forward's output x̂, rows·cols floats.</param>
    /// <param name="scale">The forward's inverse deviations, rows floats.</param>
    /// <param name="g">The gradient with respect to x̂, rows·cols floats.</param>
    /// <param name="dx">The gradient with respect to x, rows·cols floats.</param>
    public void LayerNormBackward(int rows, int cols, DeviceSlice normalised, DeviceSlice scale, DeviceSlice g, DeviceSlice dx)
    {
        CheckMatrix(rows, cols, normalised, nameof(normalised));
        CheckFloats(scale, rows, nameof(scale));
        CheckFloats(g, (long)rows * cols, nameof(g));
        CheckFloats(dx, (long)rows * cols, nameof(dx));
        LayerNormBackwardCore(rows, cols, normalised, scale, g, dx);
    }

    /// <summary>Computes <see cref="LayerNorm"/> on validated operands.</summary>
    protected abstract void LayerNormCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="LayerNormInverseDeviation"/> on validated operands.</summary>
    protected abstract void LayerNormInverseDeviationCore(int rows, int cols, float epsilon, DeviceSlice x, DeviceSlice inverse);

    /// <summary>Computes <see cref="LayerNormBackward"/> on validated operands.</summary>
    protected abstract void LayerNormBackwardCore(int rows, int cols, DeviceSlice normalised, DeviceSlice scale, DeviceSlice g, DeviceSlice dx);
}
