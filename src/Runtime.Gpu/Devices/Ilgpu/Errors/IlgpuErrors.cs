using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Dsl;

/// <summary>Turns ILGPU's and CUDA's errors into the runtime's typed exceptions, naming what failed.</summary>
internal static class IlgpuErrors
{
    /// <summary>Whether <paramref name="error"/> says the device (or, on the CPU accelerator, the host) is out of memory.</summary>
    public static bool IsOutOfMemory(Exception error) =>
        error is OutOfMemoryException || error is CudaException { Error: "CUDA_ERROR_OUT_OF_MEMORY" };

    /// <summary>The exception for a failed allocation of <paramref name="bytes"/> bytes, or null if <paramref name="error"/> is not the device's.</summary>
    public static Exception? Allocation(Exception error, string buffer, long bytes, IlgpuDevice device)
    {
        if (IsOutOfMemory(error))
            return new DeviceOutOfMemoryException(
                $"Cannot allocate buffer '{buffer}' ({bytes} bytes) on {device.Name}: the device is out of memory "
                + $"({device.MemorySize} bytes in all). Use a smaller batch or model, dispose programs and devices no longer used, "
                + "or a device with more memory.",
                error);
        return error is AcceleratorException ? new KernelLaunchException($"Allocating buffer '{buffer}'", device.Name, error) : null;
    }

    /// <summary>The exception for a failed launch of <paramref name="kernel"/>, or null if <paramref name="error"/> is not the device's.</summary>
    public static Exception? Launch(Exception error, string kernel, IlgpuDevice device) =>
        error is AcceleratorException || error is InternalCompilerException || error is NotSupportedException
            ? new KernelLaunchException($"Kernel {kernel}", device.Name, error)
            : null;
}
