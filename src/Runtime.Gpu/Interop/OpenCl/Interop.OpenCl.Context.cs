using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial nint clCreateContext(nint* properties, uint num_devices, nint* devices, nint pfn_notify, nint user_data, int* errcode_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseContext(nint context);
}
