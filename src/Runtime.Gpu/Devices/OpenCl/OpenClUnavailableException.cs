using System;

namespace Dsl;

/// <summary>
/// OpenCL cannot be used here: <c>libOpenCL.so.1</c> is missing, no platform (driver) is
/// installed, or no device matches the request or has the features the runtime needs. The
/// message says which, lists what exists, and how to install PoCL.
/// </summary>
public sealed class OpenClUnavailableException : Exception
{
    /// <summary>What to install for an OpenCL platform that runs on any CPU.</summary>
    public const string InstallHint =
        "To run OpenCL on the CPU install PoCL: `apt-get install pocl-opencl-icd ocl-icd-libopencl1` "
        + "(or install your GPU vendor's OpenCL driver).";

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why OpenCL cannot be used, without the install hint (it is appended).</param>
    /// <param name="inner">The exception behind this one (e.g. <see cref="DllNotFoundException"/>).</param>
    public OpenClUnavailableException(string reason, Exception? inner = null)
        : base($"{reason} {InstallHint}", inner)
    {
        Reason = reason;
    }

    /// <summary>Why OpenCL cannot be used, without the install hint.</summary>
    public string Reason { get; }
}
