namespace Dsl;

/// <summary>
/// The NVIDIA driver is older than the PTX that ILGPU generates for the GPU needs: the driver
/// cannot load the kernels. The message names both versions; update the driver.
/// </summary>
public sealed class CudaDriverTooOldException : CudaUnavailableException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="device">The GPU's name and architecture.</param>
    /// <param name="installed">The installed driver's CUDA version, e.g. <c>10.2</c>.</param>
    /// <param name="required">The oldest driver CUDA version that loads ILGPU's PTX for the GPU.</param>
    public CudaDriverTooOldException(string device, string installed, string required)
        : base(
            $"The NVIDIA driver supports CUDA {installed}, too old for the PTX ILGPU generates for {device}: it needs a driver for CUDA {required} or later.",
            "Update the NVIDIA driver (`nvidia-smi` shows its CUDA version).",
            null)
    {
        InstalledVersion = installed;
        RequiredVersion = required;
    }

    /// <summary>The installed driver's CUDA version.</summary>
    public string InstalledVersion { get; }

    /// <summary>The oldest driver CUDA version that loads the kernels.</summary>
    public string RequiredVersion { get; }
}
