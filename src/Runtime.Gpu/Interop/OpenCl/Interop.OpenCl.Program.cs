using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial nint clCreateProgramWithSource(nint context, uint count, byte** strings, nuint* lengths, int* errcode_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clBuildProgram(nint program, uint num_devices, nint* device_list, byte* options, nint pfn_notify, nint user_data);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetProgramBuildInfo(nint program, nint device, uint param_name, nuint param_value_size, void* param_value, nuint* param_value_size_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseProgram(nint program);
}
