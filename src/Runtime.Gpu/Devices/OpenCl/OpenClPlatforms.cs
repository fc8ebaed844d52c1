using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Dsl.Interop;
using Dsl.Interop.OpenCl;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// Finds the OpenCL platforms and devices of this machine and turns every way of not having one
/// (no library, no platform, no device, a device without the features we need) into an
/// <see cref="OpenClUnavailableException"/> that says which.
/// </summary>
internal static unsafe class OpenClPlatforms
{
    /// <summary>
    /// Every function the bindings import (a test keeps it equal to the <c>[LibraryImport]</c>s),
    /// looked up before the first call so that an old ICD loader is reported at once, with the
    /// names it lacks, rather than by the first buffer fill that needs one.
    /// </summary>
    internal static readonly string[] RequiredFunctions =
    {
        "clBuildProgram", "clCreateBuffer", "clCreateCommandQueue", "clCreateContext", "clCreateKernel",
        "clCreateProgramWithSource", "clEnqueueCopyBuffer", "clEnqueueFillBuffer", "clEnqueueNDRangeKernel",
        "clEnqueueReadBuffer", "clEnqueueWriteBuffer", "clFinish", "clFlush", "clGetDeviceIDs", "clGetDeviceInfo",
        "clGetEventProfilingInfo", "clGetKernelWorkGroupInfo", "clGetPlatformIDs", "clGetPlatformInfo",
        "clGetProgramBuildInfo", "clReleaseCommandQueue", "clReleaseContext", "clReleaseEvent", "clReleaseKernel",
        "clReleaseMemObject", "clReleaseProgram", "clSetKernelArg", "clWaitForEvents",
    };

    private static readonly Lazy<string?> MissingFunctions = new(FindMissingFunctions);

    /// <summary>Every device of every platform, usable or not (see <see cref="OpenClDeviceInfo.MissingFeatures"/>).</summary>
    /// <exception cref="OpenClUnavailableException">The library is missing, lacks a function, or no platform is installed.</exception>
    public static List<OpenClDeviceInfo> Enumerate() => GuardLibrary(() =>
    {
        if (MissingFunctions.Value is { } missing)
            throw new OpenClUnavailableException(
                $"The OpenCL library {Libraries.OpenCl} lacks OpenCL 1.2 functions ({missing}); install a current ICD loader (ocl-icd-libopencl1).");
        return EnumerateCore();
    });

    /// <summary>
    /// Runs <paramref name="body"/>, the first call into <c>libOpenCL.so.1</c>, turning the
    /// runtime's failure to load it into <see cref="OpenClUnavailableException"/>.
    /// </summary>
    public static T GuardLibrary<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (DllNotFoundException e)
        {
            throw new OpenClUnavailableException($"The OpenCL library {Libraries.OpenCl} could not be loaded: {e.Message}", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new OpenClUnavailableException(
                $"The OpenCL library {Libraries.OpenCl} lacks an OpenCL 1.2 function ({e.Message}); install a current ICD loader.", e);
        }
    }

    /// <summary>Throws unless <c>clGetPlatformIDs</c> found at least one platform.</summary>
    /// <param name="code">What <c>clGetPlatformIDs</c> returned.</param>
    /// <param name="count">The number of platforms it reported.</param>
    public static void CheckPlatformCount(int code, uint count)
    {
        // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when /etc/OpenCL/vendors lists no driver.
        if (code == OpenClErrorCodes.CL_PLATFORM_NOT_FOUND_KHR || (code == 0 && count == 0))
            throw new OpenClUnavailableException(
                $"{Libraries.OpenCl} loaded but no OpenCL platform (driver) is installed (clGetPlatformIDs: {OpenClErrorCodes.Name(code)}, {count} platforms).");
        if (code != 0)
            throw new OpenClException("clGetPlatformIDs", code, "listing the OpenCL platforms");
    }

    /// <summary>Describes the devices for a message: one per line, or "none".</summary>
    public static string List(IEnumerable<OpenClDeviceInfo> devices)
    {
        string text = string.Join(Environment.NewLine, devices.Select(d => "  " + d));
        return text.Length == 0 ? "  (none)" : text;
    }

    // Null when every function is there; throws DllNotFoundException (with the loader's reasons) without the library.
    private static string? FindMissingFunctions()
    {
        nint library = NativeLibrary.Load(Libraries.OpenCl, typeof(OpenClPlatforms).Assembly, null);
        var missing = RequiredFunctions.Where(name => !NativeLibrary.TryGetExport(library, name, out _)).ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static List<OpenClDeviceInfo> EnumerateCore()
    {
        uint platformCount;
        int code = clGetPlatformIDs(0, null, &platformCount);
        CheckPlatformCount(code, platformCount);
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms)
            Check(clGetPlatformIDs(platformCount, p, null), "clGetPlatformIDs", "listing the OpenCL platforms");

        var devices = new List<OpenClDeviceInfo>();
        foreach (nint platform in platforms)
        {
            string platformName = OpenClInfo.PlatformString(platform, CL_PLATFORM_NAME, "the platform name");
            uint deviceCount;
            code = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, &deviceCount);
            if (code == OpenClErrorCodes.CL_DEVICE_NOT_FOUND)
                continue; // A platform with no device (a driver installed without its hardware).
            Check(code, "clGetDeviceIDs", $"listing the devices of platform '{platformName}'");
            var ids = new nint[deviceCount];
            fixed (nint* d = ids)
                Check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, deviceCount, d, null), "clGetDeviceIDs", $"listing the devices of platform '{platformName}'");
            foreach (nint id in ids)
                devices.Add(Describe(platform, platformName, id));
        }

        return devices;
    }

    private static OpenClDeviceInfo Describe(nint platform, string platformName, nint device)
    {
        string name = OpenClInfo.DeviceString(device, CL_DEVICE_NAME, "the device name");
        string version = OpenClInfo.DeviceString(device, CL_DEVICE_VERSION, $"the version of device '{name}'");
        string cVersion = OpenClInfo.DeviceString(device, CL_DEVICE_OPENCL_C_VERSION, $"the OpenCL C version of device '{name}'");
        ulong type = OpenClInfo.DeviceValue<ulong>(device, CL_DEVICE_TYPE, $"the type of device '{name}'");
        bool available = OpenClInfo.DeviceValue<uint>(device, CL_DEVICE_AVAILABLE, $"whether device '{name}' is available") != 0;
        bool compiler = OpenClInfo.DeviceValue<uint>(device, CL_DEVICE_COMPILER_AVAILABLE, $"whether device '{name}' has a compiler") != 0;

        return new OpenClDeviceInfo(
            platform, device, platformName, name, version, cVersion,
            isGpu: (type & CL_DEVICE_TYPE_GPU) != 0,
            missingFeatures: MissingFeatures(version, cVersion, available, compiler));
    }

    /// <summary>
    /// What a device lacks of what the runtime needs, or null: OpenCL 1.2 (clEnqueueFillBuffer),
    /// an OpenCL C 1.2 compiler for the generated kernels, and being switched on.
    /// </summary>
    public static string? MissingFeatures(string version, string openClCVersion, bool available, bool compiler)
    {
        var missing = new List<string>();
        if (!available)
            missing.Add("availability (CL_DEVICE_AVAILABLE is false)");
        if (!AtLeast12(version, "OpenCL "))
            missing.Add($"OpenCL 1.2 (it reports '{version}')");
        if (!compiler)
            missing.Add("an online compiler (CL_DEVICE_COMPILER_AVAILABLE is false)");
        else if (!AtLeast12(openClCVersion, "OpenCL C "))
            missing.Add($"an OpenCL C 1.2 compiler (it reports '{openClCVersion}')");
        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    // Version strings are "OpenCL <major>.<minor> <vendor text>" and "OpenCL C <major>.<minor> ...".
    private static bool AtLeast12(string version, string prefix)
    {
        if (!version.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        string number = version[prefix.Length..].Split(' ', 2)[0];
        return Version.TryParse(number, out var parsed) && parsed >= new Version(1, 2);
    }

    private static void Check(int code, string call, string doing)
    {
        if (code != 0)
            throw new OpenClException(call, code, doing);
    }
}
