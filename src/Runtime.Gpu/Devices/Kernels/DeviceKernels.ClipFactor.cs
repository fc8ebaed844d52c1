namespace Dsl;

// Issue 17, one synchronization per step: the clip factor computed on the device, from the
// gradient's sum of squares there, so that the optimizer's step never reads the norm back.
public abstract partial class DeviceKernels
{
    /// <summary>
    /// factor[0] = the global-norm clip of a gradient whose sum of squares is sumOfSquares[0]:
    /// norm = √sum rounded to float, then min(1, maxNorm / (norm + 1e-6)) in float, exactly as the
    /// host clips (<c>OptimizerState.ClipFactor</c>), so the same sum gives the same factor on every device.
    /// </summary>
    /// <param name="sumOfSquares">One float: the gradient's sum of squares (<see cref="SumOfSquares"/>).</param>
    /// <param name="maxNorm">The largest norm allowed.</param>
    /// <param name="factor">One float, written: the factor the update multiplies each gradient by.</param>
    public void ClipFactor(DeviceSlice sumOfSquares, float maxNorm, DeviceSlice factor)
    {
        CheckFloats(sumOfSquares, 1, nameof(sumOfSquares));
        CheckFloats(factor, 1, nameof(factor));
        ClipFactorCore(sumOfSquares, maxNorm, factor);
    }

    /// <summary>Computes <see cref="ClipFactor"/> on validated operands.</summary>
    protected abstract void ClipFactorCore(DeviceSlice sumOfSquares, float maxNorm, DeviceSlice factor);
}
