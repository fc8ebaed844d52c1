using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.OpenCl;

/// <summary>
/// The two ways a machine can lack OpenCL, produced for real: a library that is not there (a
/// LibraryImport of a name no machine has), and an ICD loader that finds no driver (a private
/// copy of this machine's libOpenCL.so.1 loaded with OCL_ICD_VENDORS pointing at an empty folder).
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed unsafe partial class OpenClUnavailableTests
{
    [Fact]
    public void AMissingLibraryBecomesOpenClUnavailableException()
    {
        var error = Assert.Throws<OpenClUnavailableException>(() => OpenClPlatforms.GuardLibrary(() =>
        {
            uint count;
            return MissingLibraryGetPlatformIds(0, null, &count);
        }));
        Assert.IsType<DllNotFoundException>(error.InnerException);
        Assert.Contains("The OpenCL library libOpenCL.so.1 could not be loaded", error.Message);
        Assert.Contains("apt-get install pocl-opencl-icd ocl-icd-libopencl1", error.Message);
    }

    [OpenClFact]
    public void AnIcdLoaderWithoutDriversBecomesOpenClUnavailableException()
    {
        OpenClDevice.Available(); // the process's own loader reads its environment first
        string loader = LoaderPath();
        string folder = Directory.CreateTempSubdirectory("dsl-no-icd-").FullName;
        string copy = Path.Combine(folder, "libOpenCL-copy.so.1");
        File.Copy(loader, copy);
        string vendors = Directory.CreateDirectory(Path.Combine(folder, "vendors")).FullName;

        int code;
        uint platforms = 99;
        Assert.Equal(0, setenv("OCL_ICD_VENDORS", vendors, 1));
        try
        {
            nint handle = NativeLibrary.Load(copy);
            var getPlatformIds = (delegate* unmanaged<uint, nint*, uint*, int>)NativeLibrary.GetExport(handle, "clGetPlatformIDs");
            code = getPlatformIds(0, null, &platforms);
        }
        finally
        {
            unsetenv("OCL_ICD_VENDORS");
            Directory.Delete(folder, recursive: true);
        }

        uint count = platforms;
        var error = Assert.Throws<OpenClUnavailableException>(() => OpenClPlatforms.CheckPlatformCount(code, count));
        Assert.Equal(-1001, code); // CL_PLATFORM_NOT_FOUND_KHR
        Assert.Contains("no OpenCL platform (driver) is installed", error.Message);
        Assert.Contains("apt-get install pocl-opencl-icd ocl-icd-libopencl1", error.Message);
    }

    [Fact]
    public void ADeviceWithoutWhatTheRuntimeNeedsSaysWhatItLacks()
    {
        Assert.Null(OpenClPlatforms.MissingFeatures("OpenCL 3.0 PoCL", "OpenCL C 1.2 PoCL", available: true, compiler: true));
        Assert.Null(OpenClPlatforms.MissingFeatures("OpenCL 1.2 CUDA", "OpenCL C 1.2 ", available: true, compiler: true));
        Assert.Equal(
            "OpenCL 1.2 (it reports 'OpenCL 1.1 Mesa'); an OpenCL C 1.2 compiler (it reports 'OpenCL C 1.1 ')",
            OpenClPlatforms.MissingFeatures("OpenCL 1.1 Mesa", "OpenCL C 1.1 ", available: true, compiler: true));
        Assert.Equal(
            "availability (CL_DEVICE_AVAILABLE is false); an online compiler (CL_DEVICE_COMPILER_AVAILABLE is false)",
            OpenClPlatforms.MissingFeatures("OpenCL 2.0", "OpenCL C 2.0", available: false, compiler: false));
    }

    [Fact]
    public void TheEntryPointCheckCoversEveryBinding()
    {
        var imported = typeof(Dsl.Interop.OpenCl.OpenClNative)
            .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
            .Where(m => (m.Attributes & System.Reflection.MethodAttributes.PinvokeImpl) != 0)
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(imported, OpenClPlatforms.RequiredFunctions.Order(StringComparer.Ordinal));
    }

    // Where the dynamic linker found libOpenCL.so.1 for this process.
    private static string LoaderPath()
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash >= 0 && line.Contains("libOpenCL.so", StringComparison.Ordinal))
                return line[slash..];
        }

        throw new InvalidOperationException("libOpenCL.so.1 is not mapped into this process");
    }

    [LibraryImport("libDslNoSuchOpenCl.so.1", EntryPoint = "clGetPlatformIDs")]
    private static partial int MissingLibraryGetPlatformIds(uint entries, nint* platforms, uint* count);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);
}
