using System;
using System.Runtime.InteropServices;

namespace Dsl;

/// <summary>
/// Whether the NVIDIA driver can be loaded, checked before ILGPU is asked for CUDA devices: ILGPU
/// reports a missing driver as "no devices", which would hide the fix.
/// </summary>
internal static class CudaDriver
{
    /// <summary>The driver library of this OS.</summary>
    public static string LibraryName => OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    /// <summary>Why the driver cannot be loaded, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint handle))
            return $"The NVIDIA driver library {LibraryName} cannot be loaded (no NVIDIA driver is installed, or it is not on the library path).";
        NativeLibrary.Free(handle);
        return null;
    }
}
