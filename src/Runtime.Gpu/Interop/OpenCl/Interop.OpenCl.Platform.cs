using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetPlatformIDs(uint num_entries, nint* platforms, uint* num_platforms);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetPlatformInfo(nint platform, uint param_name, nuint param_value_size, void* param_value, nuint* param_value_size_ret);
}
