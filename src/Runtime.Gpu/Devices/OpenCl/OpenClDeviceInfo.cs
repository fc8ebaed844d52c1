namespace Dsl;

/// <summary>One OpenCL device as <see cref="OpenClDevice.Available"/> lists it (nothing is allocated on it).</summary>
public sealed class OpenClDeviceInfo
{
    internal OpenClDeviceInfo(nint platformId, nint deviceId, string platformName, string deviceName, string version, string openClCVersion, bool isGpu, string? missingFeatures)
    {
        PlatformId = platformId;
        DeviceId = deviceId;
        PlatformName = platformName;
        DeviceName = deviceName;
        Version = version;
        OpenClCVersion = openClCVersion;
        IsGpu = isGpu;
        MissingFeatures = missingFeatures;
    }

    /// <summary>The platform (driver) name, e.g. <c>Portable Computing Language</c> or <c>NVIDIA CUDA</c>.</summary>
    public string PlatformName { get; }

    /// <summary>The device name, e.g. <c>pthread-skylake-avx512</c> or <c>NVIDIA H200</c>.</summary>
    public string DeviceName { get; }

    /// <summary>The device's OpenCL version string, e.g. <c>OpenCL 3.0 PoCL ...</c>.</summary>
    public string Version { get; }

    /// <summary>The OpenCL C version its compiler accepts, e.g. <c>OpenCL C 1.2 PoCL</c>.</summary>
    public string OpenClCVersion { get; }

    /// <summary>Whether the device reports <c>CL_DEVICE_TYPE_GPU</c> (what <see cref="Device.Default"/> looks for).</summary>
    public bool IsGpu { get; }

    /// <summary>
    /// Null when the runtime can use the device; otherwise what it lacks (e.g. "an OpenCL C 1.2
    /// compiler (it has OpenCL C 1.1)"), which <see cref="Device.OpenCL(string?, string?)"/> reports.
    /// </summary>
    public string? MissingFeatures { get; }

    internal nint PlatformId { get; }

    internal nint DeviceId { get; }

    /// <summary>e.g. <c>Portable Computing Language / pthread-skylake-avx512 (OpenCL 3.0 PoCL, CPU)</c>.</summary>
    public override string ToString() =>
        $"{PlatformName} / {DeviceName} ({Version}, {(IsGpu ? "GPU" : "not a GPU")})"
        + (MissingFeatures is null ? "" : $" unusable: lacks {MissingFeatures}");
}
