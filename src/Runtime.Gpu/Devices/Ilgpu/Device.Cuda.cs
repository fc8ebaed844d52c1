namespace Dsl;

public abstract partial class Device
{
    /// <summary>
    /// Opens CUDA device <paramref name="index"/> (an NVIDIA GPU) through ILGPU, with products on
    /// cuBLAS in float32 (TF32 off).
    /// </summary>
    /// <param name="index">The device's CUDA ordinal (as <c>nvidia-smi</c> lists them).</param>
    /// <returns>A new device, owned by the caller (dispose it to release its context, stream and buffers).</returns>
    /// <exception cref="CudaUnavailableException">No NVIDIA driver, no CUDA device, or no device <paramref name="index"/>.</exception>
    /// <exception cref="CudaDriverTooOldException">The driver cannot load the PTX ILGPU generates for the GPU.</exception>
    /// <exception cref="CuBlasUnavailableException"><c>libcublas.so.12</c> cannot be loaded.</exception>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static IlgpuDevice Cuda(int index = 0) => Cuda(index, new IlgpuDeviceOptions());

    /// <summary>Opens CUDA device <paramref name="index"/> as <see cref="Cuda(int)"/> does, with options (TF32, the GEMM fallback).</summary>
    /// <param name="index">The device's CUDA ordinal.</param>
    /// <param name="options">How to set the device up.</param>
    /// <returns>A new device, owned by the caller.</returns>
    /// <exception cref="CudaUnavailableException">As for <see cref="Cuda(int)"/>.</exception>
    /// <exception cref="CudaDriverTooOldException">As for <see cref="Cuda(int)"/>.</exception>
    /// <exception cref="CuBlasUnavailableException">cuBLAS cannot be loaded and <see cref="IlgpuDeviceOptions.AllowIlgpuGemmFallback"/> is false.</exception>
    public static IlgpuDevice Cuda(int index, IlgpuDeviceOptions options)
    {
        System.ArgumentNullException.ThrowIfNull(options);
        return IlgpuDevice.OpenCuda(index, options, shared: false);
    }

    /// <summary>
    /// Opens ILGPU's CPU accelerator: the CUDA path's kernels (ILGPU C#; products on a barrier-free
    /// GEMM in place of cuBLAS) run on the host, one simulated thread group at a time. A test device, far slower than <see cref="Cpu"/>:
    /// it lets the CUDA code path be checked on a machine without a GPU.
    /// </summary>
    /// <returns>A new device, owned by the caller.</returns>
    public static IlgpuDevice IlgpuCpu() => IlgpuDevice.OpenCpu();
}
