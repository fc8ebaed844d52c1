using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial nint clCreateBuffer(nint context, ulong flags, nuint size, void* host_ptr, int* errcode_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseMemObject(nint memobj);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clEnqueueReadBuffer(
        nint command_queue, nint buffer, uint blocking_read, nuint offset, nuint size, void* ptr,
        uint num_events_in_wait_list, nint* event_wait_list, nint* @event);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clEnqueueWriteBuffer(
        nint command_queue, nint buffer, uint blocking_write, nuint offset, nuint size, void* ptr,
        uint num_events_in_wait_list, nint* event_wait_list, nint* @event);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clEnqueueFillBuffer(
        nint command_queue, nint buffer, void* pattern, nuint pattern_size, nuint offset, nuint size,
        uint num_events_in_wait_list, nint* event_wait_list, nint* @event);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clEnqueueCopyBuffer(
        nint command_queue, nint src_buffer, nint dst_buffer, nuint src_offset, nuint dst_offset, nuint size,
        uint num_events_in_wait_list, nint* event_wait_list, nint* @event);
}
