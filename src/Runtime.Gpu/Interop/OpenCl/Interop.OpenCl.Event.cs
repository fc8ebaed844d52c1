using System.Runtime.InteropServices;

namespace Dsl.Interop.OpenCl;

internal static unsafe partial class OpenClNative
{
    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clWaitForEvents(uint num_events, nint* event_list);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clGetEventProfilingInfo(nint @event, uint param_name, nuint param_value_size, void* param_value, nuint* param_value_size_ret);

    [LibraryImport(Libraries.OpenCl)]
    internal static partial int clReleaseEvent(nint @event);
}
