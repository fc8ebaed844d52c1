namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>y[i] = value for i &lt; count.</summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="value">The value.</param>
    /// <param name="y">The output, count floats.</param>
    public void Fill(int count, float value, DeviceSlice y)
    {
        CheckSize(count, nameof(count));
        CheckFloats(y, count, nameof(y));
        FillCore(count, value, y);
    }

    /// <summary>y[i] = x[i] for i &lt; count; the ranges must not overlap (a device copies them in parallel).</summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="x">The source, count floats.</param>
    /// <param name="y">The destination, count floats.</param>
    public void Copy(int count, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(count, nameof(count));
        CheckFloats(x, count, nameof(x));
        CheckFloats(y, count, nameof(y));
        if (x.Buffer == y.Buffer && x.Offset < y.Offset + count && y.Offset < x.Offset + count)
            throw new System.ArgumentException(
                $"y: copying elements [{x.Offset}, {x.Offset + count}) of buffer '{x.Buffer.Name}' onto [{y.Offset}, {y.Offset + count}) overlaps; the ranges must be disjoint.", nameof(y));
        CopyCore(count, x, y);
    }

    /// <summary>y[i] = factor·x[i] for i &lt; count (y may be x).</summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="factor">The factor.</param>
    /// <param name="x">The input, count floats.</param>
    /// <param name="y">The output, count floats.</param>
    public void Scale(int count, float factor, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(count, nameof(count));
        CheckFloats(x, count, nameof(x));
        CheckFloats(y, count, nameof(y));
        ScaleCore(count, factor, x, y);
    }

    /// <summary>
    /// result[0] = the mean of x[0..count) (NaN for none): a per-example loss or metric brought down
    /// to one float on the device, so that only that float crosses to the host (<c>Rows.Mean</c>).
    /// </summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="x">The values, count floats.</param>
    /// <param name="result">The mean, one float.</param>
    public void Mean(int count, DeviceSlice x, DeviceSlice result)
    {
        CheckSize(count, nameof(count));
        CheckFloats(x, count, nameof(x));
        CheckFloats(result, 1, nameof(result));
        MeanCore(count, x, result);
    }

    /// <summary>result[0] = Σ x[i]² over i &lt; count: the square of the gradient's global L2 norm, reduced on the device.</summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="x">The values, count floats.</param>
    /// <param name="result">The sum, one float.</param>
    public void SumOfSquares(int count, DeviceSlice x, DeviceSlice result)
    {
        CheckSize(count, nameof(count));
        CheckFloats(x, count, nameof(x));
        CheckFloats(result, 1, nameof(result));
        SumOfSquaresCore(count, x, result);
    }

    /// <summary>
    /// y[i] = x[i]·scale when stream position start + i of (seed, site, step) is kept, else 0, with
    /// the Philox4x32-10 draws of <c>Dsl.Kernels.DropoutKernels.Apply</c>, bit for bit (y may be x).
    /// </summary>
    /// <param name="count">The number of elements.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="start">The stream position of x[0].</param>
    /// <param name="p">The probability of dropping an element, in [0, 1).</param>
    /// <param name="x">The input, count floats.</param>
    /// <param name="y">The output, count floats.</param>
    public void Dropout(int count, ulong seed, uint site, uint step, ulong start, float p, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(count, nameof(count));
        if (!(p >= 0f && p < 1f))
            throw new System.ArgumentOutOfRangeException(nameof(p), p, "The drop probability must lie in [0, 1).");
        CheckFloats(x, count, nameof(x));
        CheckFloats(y, count, nameof(y));
        DropoutCore(count, seed, site, step, start, p, x, y);
    }

    /// <summary>Computes <see cref="Fill"/> on a validated operand.</summary>
    protected abstract void FillCore(int count, float value, DeviceSlice y);

    /// <summary>Computes <see cref="Copy"/> on validated operands.</summary>
    protected abstract void CopyCore(int count, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="Scale"/> on validated operands.</summary>
    protected abstract void ScaleCore(int count, float factor, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="Mean"/> on validated operands.</summary>
    protected abstract void MeanCore(int count, DeviceSlice x, DeviceSlice result);

    /// <summary>Computes <see cref="SumOfSquares"/> on validated operands.</summary>
    protected abstract void SumOfSquaresCore(int count, DeviceSlice x, DeviceSlice result);

    /// <summary>Computes <see cref="Dropout"/> on validated operands.</summary>
    protected abstract void DropoutCore(int count, ulong seed, uint site, uint step, ulong start, float p, DeviceSlice x, DeviceSlice y);
}
