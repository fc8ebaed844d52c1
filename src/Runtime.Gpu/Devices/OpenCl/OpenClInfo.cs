using System;
using System.Text;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>Typed reads of <c>clGetPlatformInfo</c> and <c>clGetDeviceInfo</c> that throw <see cref="OpenClException"/>.</summary>
internal static unsafe class OpenClInfo
{
    public static string PlatformString(nint platform, uint param, string what)
    {
        nuint size;
        Check(clGetPlatformInfo(platform, param, 0, null, &size), "clGetPlatformInfo", what);
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes)
            Check(clGetPlatformInfo(platform, param, size, b, null), "clGetPlatformInfo", what);
        return Text(bytes);
    }

    public static string DeviceString(nint device, uint param, string what)
    {
        nuint size;
        Check(clGetDeviceInfo(device, param, 0, null, &size), "clGetDeviceInfo", what);
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes)
            Check(clGetDeviceInfo(device, param, size, b, null), "clGetDeviceInfo", what);
        return Text(bytes);
    }

    /// <summary>Reads a fixed-size value (<c>cl_uint</c>, <c>cl_ulong</c>, <c>size_t</c>, <c>cl_bool</c>, a bitfield).</summary>
    public static T DeviceValue<T>(nint device, uint param, string what)
        where T : unmanaged
    {
        T value = default;
        Check(clGetDeviceInfo(device, param, (nuint)sizeof(T), &value, null), "clGetDeviceInfo", what);
        return value;
    }

    private static void Check(int code, string call, string what)
    {
        if (code != 0)
            throw new OpenClException(call, code, $"reading {what}");
    }

    // Info strings are NUL-terminated; some drivers pad them with spaces.
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
}
