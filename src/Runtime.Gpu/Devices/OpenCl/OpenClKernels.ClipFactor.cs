namespace Dsl;

// Issue 17: the clip factor computed on the device (optimizer.cl's clip_factor), so that the
// optimizer's step never reads the gradient norm back.
public sealed partial class OpenClKernels
{
    /// <inheritdoc/>
    protected override void ClipFactorCore(DeviceSlice sumOfSquares, float maxNorm, DeviceSlice factor)
    {
        lock (_gate)
        {
            OpenClKernel kernel = _kernels["clip_factor"];
            int i = 0;
            SetSlice(kernel, ref i, sumOfSquares);
            kernel.SetArg(i++, maxNorm);
            SetSlice(kernel, ref i, factor);
            Launch(kernel, 1);
        }
    }
}
