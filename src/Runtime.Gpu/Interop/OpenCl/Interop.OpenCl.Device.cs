using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetDeviceIDs(nint platform, ulong device_type, uint num_entries, nint* devices, uint* num_devices);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetDeviceInfo(nint device, uint param_name, nuint param_value_size, void* param_value, nuint* param_value_size_ret);
}
