using System;

namespace Dsl;

/// <summary>
/// cuBLAS (<c>libcublas.so.12</c>), which runs a CUDA device's matrix products, cannot be loaded.
/// Install it, or allow the slower ILGPU GEMM with <see cref="IlgpuDeviceOptions.AllowIlgpuGemmFallback"/>.
/// </summary>
public sealed class CuBlasUnavailableException : Exception
{
    /// <summary>What to install, or which option to set.</summary>
    public const string Fix =
        "Install cuBLAS 12 (libcublas.so.12: the `libcublas-12-x` package of NVIDIA's CUDA repository, or `pip install nvidia-cublas-cu12` "
        + "with its lib folder on LD_LIBRARY_PATH), or pass new IlgpuDeviceOptions { AllowIlgpuGemmFallback = true } to Device.Cuda "
        + "to run products on the slower ILGPU tiled GEMM.";

    /// <summary>Creates the exception.</summary>
    /// <param name="device">The GPU that needs cuBLAS.</param>
    /// <param name="inner">Why loading failed.</param>
    public CuBlasUnavailableException(string device, Exception? inner)
        : base($"cuBLAS could not be loaded for {device}{(inner is null ? "" : $" ({inner.Message})")}. {Fix}", inner)
    {
    }
}
