using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    // The OpenCL 1.2 entry point (deprecated, not removed, in 2.0): every ICD loader and driver has it.
    [LibraryImport(Libraries.OpenCl)]
    internal static partial nint clCreateCommandQueue(nint context, nint device, ulong properties, int* errcode_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseCommandQueue(nint command_queue);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clFlush(nint command_queue);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clFinish(nint command_queue);
}
