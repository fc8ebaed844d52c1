using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Dsl;

public sealed partial class IlgpuDevice
{
    /// <summary>
    /// Tells whether CUDA cannot be used here, and why (what the CUDA tests print when they skip):
    /// the NVIDIA driver does not load, or it reports no CUDA device. cuBLAS is not checked; opening
    /// the device does (<see cref="CuBlasUnavailableException"/>).
    /// </summary>
    /// <param name="reason">Why not, with the fix, or empty when CUDA can be used.</param>
    /// <returns>True when CUDA cannot be used.</returns>
    public static bool TryGetCudaUnavailableReason(out string reason)
    {
        if (CudaDriver.UnavailableReason() is { } missing)
        {
            reason = $"{missing} {CudaUnavailableException.InstallHint}";
            return true;
        }

        using Context context = Context.Create(builder => builder.Cuda());
        if (context.GetCudaDevices().Count == 0)
        {
            reason = $"The NVIDIA driver ({CudaDriver.LibraryName}) loads but reports no usable CUDA device. {CudaUnavailableException.InstallHint}";
            return true;
        }

        reason = "";
        return false;
    }
}
