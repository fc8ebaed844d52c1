using System;
using System.Linq;

namespace Dsl;

public abstract partial class Device
{
    /// <summary>
    /// Opens an OpenCL device: the first usable device whose platform name and device name contain
    /// the given texts (ordinal, case-insensitive); null matches anything.
    /// </summary>
    /// <param name="platform">Part of the platform name (e.g. <c>"pocl"</c>, <c>"nvidia"</c>), or null for any.</param>
    /// <param name="device">Part of the device name, or null for any.</param>
    /// <returns>A new device, owned by the caller (dispose it to release its context, queue, buffers and programs).</returns>
    /// <exception cref="OpenClUnavailableException">
    /// <c>libOpenCL.so.1</c> cannot be loaded, no platform is installed, nothing matches (the message
    /// lists every device), or every match lacks a feature the runtime needs (the message says which).
    /// </exception>
    /// <exception cref="OpenClException">The driver failed while the device was being set up.</exception>
    public static OpenClDevice OpenCL(string? platform = null, string? device = null) =>
        OpenCL(platform, device, new OpenClDeviceOptions());

    /// <summary>Opens an OpenCL device as <see cref="OpenCL(string?, string?)"/> does, with options (profiling).</summary>
    /// <param name="platform">Part of the platform name, or null for any.</param>
    /// <param name="device">Part of the device name, or null for any.</param>
    /// <param name="options">How to set the device up.</param>
    /// <returns>A new device, owned by the caller.</returns>
    /// <exception cref="OpenClUnavailableException">As for <see cref="OpenCL(string?, string?)"/>.</exception>
    /// <exception cref="OpenClException">The driver failed while the device was being set up.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OpenClDeviceOptions.MaxAllocationSize"/> is zero or negative.</exception>
    public static OpenClDevice OpenCL(string? platform, string? device, OpenClDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAllocationSize is <= 0)
            throw new ArgumentOutOfRangeException(
                nameof(options), options.MaxAllocationSize, "OpenClDeviceOptions.MaxAllocationSize must be positive (bytes), or null for the device's own limit.");
        var all = OpenClPlatforms.Enumerate();
        var matches = all.Where(d => Matches(d.PlatformName, platform) && Matches(d.DeviceName, device)).ToList();
        if (matches.Count == 0)
            throw new OpenClUnavailableException(
                $"No OpenCL device matches platform '{platform ?? "*"}' and device '{device ?? "*"}'. The devices here are:{Environment.NewLine}"
                + OpenClPlatforms.List(all) + Environment.NewLine);

        var usable = matches.FirstOrDefault(d => d.MissingFeatures is null);
        if (usable is null)
            throw new OpenClUnavailableException(
                $"No OpenCL device matching platform '{platform ?? "*"}' and device '{device ?? "*"}' has what the runtime needs:{Environment.NewLine}"
                + OpenClPlatforms.List(matches) + Environment.NewLine);
        return new OpenClDevice(usable, options, shared: false);
    }

    private static bool Matches(string name, string? wanted) =>
        wanted is null || name.Contains(wanted, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// CUDA device 0, else the first usable OpenCL GPU, else <see cref="Cpu"/>. PoCL is a CPU
    /// device, so with only PoCL installed this is the CPU backend (faster than PoCL on the same
    /// cores); ask for it with <see cref="OpenCL(string?, string?)"/>.
    /// </summary>
    private static Device SelectDefault()
    {
        if (TryDefaultCuda() is { } cuda)
            return cuda;
        try
        {
            var gpu = OpenClPlatforms.Enumerate().FirstOrDefault(d => d.IsGpu && d.MissingFeatures is null);
            if (gpu is not null)
                return new OpenClDevice(gpu, new OpenClDeviceOptions(), shared: true);
        }
        catch (OpenClUnavailableException)
        {
        }
        catch (OpenClException)
        {
            // A GPU driver that fails while we set it up is not a device to run on by default; the
            // CPU is, and Device.Default.Name says which one ran.
        }

        return Cpu;
    }

    /// <summary>
    /// CUDA device 0 where it opens with cuBLAS, else null. Under NativeAOT (no JIT, so no ILGPU)
    /// the check is a constant and the trimmer drops ILGPU from the CPU path altogether; without
    /// the NVIDIA driver the ILGPU assembly is not even loaded.
    /// </summary>
    private static Device? TryDefaultCuda() =>
        System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported && CudaDriver.UnavailableReason() is null
            ? OpenDefaultCuda()
            : null;

    // Not inlined: the JIT loads ILGPU for this method's body, which only a machine with the driver reaches.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Device? OpenDefaultCuda()
    {
        try
        {
            return IlgpuDevice.OpenCuda(0, new IlgpuDeviceOptions(), shared: true);
        }
        catch (Exception e) when (e is CudaUnavailableException or CuBlasUnavailableException or ILGPU.Runtime.AcceleratorException)
        {
            // No usable GPU or no cuBLAS: the next device, never an exception (Name says which ran).
            return null;
        }
    }
}
