using System;
using System.Linq;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class OpenClDeviceTests
{
    [OpenClFact]
    public void ListsThePoClDeviceWithItsFeatures()
    {
        Assert.False(OpenClDevice.TryGetUnavailableReason(out string reason), reason);
        Assert.Equal("", reason);
        var devices = OpenClDevice.Available();
        Assert.Contains(devices, d => d.MissingFeatures is null);
    }

    [OpenClFact]
    public void OpensTheFirstUsableDeviceAndReportsItsLimits()
    {
        using var device = Device.OpenCL();
        var info = OpenClDevice.Available().First(d => d.MissingFeatures is null);
        Assert.Equal(DeviceKind.OpenCl, device.Kind);
        Assert.Equal(info.PlatformName, device.PlatformName);
        Assert.Equal(info.DeviceName, device.DeviceName);
        Assert.Equal(info.IsGpu, device.IsGpu);
        Assert.Contains(device.DeviceName, device.Name);
        Assert.True(device.IsDeterministic);
        Assert.StartsWith("OpenCL ", device.Version);
        Assert.True(device.GlobalMemorySize > 0);
        Assert.InRange(device.MaxAllocationSize, 1, device.GlobalMemorySize);
        Assert.True(device.LocalMemorySize > 0);
        Assert.True(device.MaxWorkGroupSize >= 1);
        Assert.True(device.ComputeUnits >= 1);
        Assert.StartsWith("-cl-std=CL1.2", device.BuildOptions);
    }

    [OpenClFact]
    public void SelectsByPlatformAndDeviceNameIgnoringCase()
    {
        using var first = Device.OpenCL();
        string platformPart = first.PlatformName[..Math.Min(8, first.PlatformName.Length)].ToUpperInvariant();
        string devicePart = first.DeviceName[..Math.Min(6, first.DeviceName.Length)].ToLowerInvariant();
        using var device = Device.OpenCL(platformPart, devicePart);
        Assert.Equal(first.DeviceName, device.DeviceName);
    }

    [OpenClFact]
    public void NoMatchListsTheDevicesAndHowToInstallPoCl()
    {
        var error = Assert.Throws<OpenClUnavailableException>(() => Device.OpenCL("no-such-platform"));
        Assert.Contains("No OpenCL device matches platform 'no-such-platform' and device '*'", error.Message);
        foreach (var info in OpenClDevice.Available())
            Assert.Contains(info.DeviceName, error.Message);
        Assert.Contains("apt-get install pocl-opencl-icd ocl-icd-libopencl1", error.Message);

        error = Assert.Throws<OpenClUnavailableException>(() => Device.OpenCL(device: "no-such-device"));
        Assert.Contains("device 'no-such-device'", error.Message);
    }

    [OpenClFact]
    public void DefaultIsTheCpuWhenNoOpenClGpuExists()
    {
        bool gpu = OpenClDevice.Available().Any(d => d.IsGpu && d.MissingFeatures is null);
        Device device = Device.Default;
        Assert.Same(device, Device.Default);
        if (gpu)
            Assert.Equal(DeviceKind.OpenCl, device.Kind);
        else
            Assert.Same(Device.Cpu, device);

        // Shared: disposing it is a no-op.
        device.Dispose();
        Assert.Same(device, Device.Default);
    }

    [OpenClFact]
    public void DisposingTheDeviceInvalidatesItsBuffers()
    {
        var device = Device.OpenCL();
        var buffer = device.AllocateFloats(4, "x");
        device.Dispose();
        device.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => buffer.Write(new float[4]));
        Assert.Contains("'x'", error.Message);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.AllocateFloats(1, "y"));
    }
}
