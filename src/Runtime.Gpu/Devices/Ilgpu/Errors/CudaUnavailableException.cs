using System;

namespace Dsl;

/// <summary>
/// CUDA cannot be used here: the NVIDIA driver (<c>libcuda.so.1</c>) is missing, it reports no
/// CUDA device, or the device index asked for does not exist. The message says which and how to fix it.
/// </summary>
public class CudaUnavailableException : Exception
{
    /// <summary>What to install for CUDA.</summary>
    public const string InstallHint =
        "CUDA needs an NVIDIA GPU and its driver (libcuda.so.1, from the `nvidia-driver` or `cuda-drivers` package; "
        + "check with `nvidia-smi`). Without one, use Device.Cpu or Device.OpenCL().";

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why CUDA cannot be used, without the install hint (it is appended).</param>
    /// <param name="inner">The exception behind this one, if any.</param>
    public CudaUnavailableException(string reason, Exception? inner = null)
        : this(reason, InstallHint, inner)
    {
    }

    /// <summary>Creates the exception with its own fix.</summary>
    /// <param name="reason">Why CUDA cannot be used.</param>
    /// <param name="fix">How to fix it.</param>
    /// <param name="inner">The exception behind this one, if any.</param>
    protected CudaUnavailableException(string reason, string fix, Exception? inner)
        : base($"{reason} {fix}", inner)
    {
        Reason = reason;
    }

    /// <summary>Why CUDA cannot be used, without the fix.</summary>
    public string Reason { get; }
}
