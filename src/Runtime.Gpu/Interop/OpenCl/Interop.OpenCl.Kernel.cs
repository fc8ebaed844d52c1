using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial nint clCreateKernel(nint program, byte* kernel_name, int* errcode_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clSetKernelArg(nint kernel, uint arg_index, nuint arg_size, void* arg_value);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetKernelWorkGroupInfo(nint kernel, nint device, uint param_name, nuint param_value_size, void* param_value, nuint* param_value_size_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseKernel(nint kernel);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clEnqueueNDRangeKernel(
        nint command_queue, nint kernel, uint work_dim, nuint* global_work_offset, nuint* global_work_size, nuint* local_work_size,
        uint num_events_in_wait_list, nint* event_wait_list, nint* @event);
}
