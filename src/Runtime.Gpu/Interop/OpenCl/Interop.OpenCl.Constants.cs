namespace Dsl.Interop.OpenCl;

/// <summary>The OpenCL 1.2 constants the runtime uses (values from Khronos' <c>cl.h</c>).</summary>
internal static partial class OpenClNative
{
    // cl_bool
    internal const uint CL_FALSE = 0;
    internal const uint CL_TRUE = 1;

    // cl_platform_info
    internal const uint CL_PLATFORM_VERSION = 0x0901;
    internal const uint CL_PLATFORM_NAME = 0x0902;
    internal const uint CL_PLATFORM_VENDOR = 0x0903;

    // cl_device_type
    internal const ulong CL_DEVICE_TYPE_CPU = 1 << 1;
    internal const ulong CL_DEVICE_TYPE_GPU = 1 << 2;
    internal const ulong CL_DEVICE_TYPE_ACCELERATOR = 1 << 3;
    internal const ulong CL_DEVICE_TYPE_ALL = 0xFFFFFFFF;

    // cl_device_info
    internal const uint CL_DEVICE_TYPE = 0x1000;
    internal const uint CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    internal const uint CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    internal const uint CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    internal const uint CL_DEVICE_SINGLE_FP_CONFIG = 0x101B;
    internal const uint CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    internal const uint CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    internal const uint CL_DEVICE_AVAILABLE = 0x1027;
    internal const uint CL_DEVICE_COMPILER_AVAILABLE = 0x1028;
    internal const uint CL_DEVICE_NAME = 0x102B;
    internal const uint CL_DEVICE_VERSION = 0x102F;
    internal const uint CL_DEVICE_OPENCL_C_VERSION = 0x103D;

    // cl_device_fp_config
    internal const ulong CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 1 << 7;

    // cl_context_properties
    internal const nint CL_CONTEXT_PLATFORM = 0x1084;

    // cl_command_queue_properties
    internal const ulong CL_QUEUE_PROFILING_ENABLE = 1 << 1;

    // cl_mem_flags
    internal const ulong CL_MEM_READ_WRITE = 1 << 0;

    // cl_program_build_info
    internal const uint CL_PROGRAM_BUILD_LOG = 0x1183;

    // cl_kernel_work_group_info
    internal const uint CL_KERNEL_WORK_GROUP_SIZE = 0x11B0;

    // cl_profiling_info
    internal const uint CL_PROFILING_COMMAND_START = 0x1282;
    internal const uint CL_PROFILING_COMMAND_END = 0x1283;
}
