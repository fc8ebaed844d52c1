using System;
using System.Collections.Generic;
using System.Text;
using Dsl.Interop.OpenCl;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// One OpenCL device with its own context and one in-order command queue: every transfer and
/// kernel goes through that queue, so each runs after everything enqueued before it. Owns a
/// memory pool and a program cache; disposing it releases every buffer, kernel, program, the
/// queue and the context.
/// </summary>
/// <remarks>
/// Get one from <see cref="Device.OpenCL(string?, string?)"/>. Buffers, programs and kernels are
/// thread-safe to create; a kernel's arguments and launches belong to one thread at a time (OpenCL
/// kernels hold their arguments).
/// </remarks>
public sealed unsafe partial class OpenClDevice : Device
{
    private readonly nint _context, _queue, _device;
    private readonly bool _shared;
    private readonly object _lock = new();
    private readonly OpenClMemoryPool _pool = new();
    private readonly Dictionary<(string Source, string Options), OpenClProgram> _programs = new();
    private readonly HashSet<OpenClKernel> _kernels = new();
    private bool _disposed;

    internal OpenClDevice(OpenClDeviceInfo info, OpenClDeviceOptions options, bool shared)
    {
        _device = info.DeviceId;
        _shared = shared;
        PlatformName = info.PlatformName;
        DeviceName = info.DeviceName;
        Version = info.Version;
        IsGpu = info.IsGpu;
        IsProfiling = options.EnableProfiling;
        Name = $"OpenCL {DeviceName} ({PlatformName}, {Version})";

        string device = $"device '{DeviceName}'";
        GlobalMemorySize = (long)OpenClInfo.DeviceValue<ulong>(_device, CL_DEVICE_GLOBAL_MEM_SIZE, $"the global memory size of {device}");
        long deviceLimit = (long)Math.Min(long.MaxValue, OpenClInfo.DeviceValue<ulong>(_device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, $"the largest allocation of {device}"));
        IsAllocationCapped = options.MaxAllocationSize < deviceLimit;
        MaxAllocationSize = IsAllocationCapped ? options.MaxAllocationSize!.Value : deviceLimit;
        LocalMemorySize = (long)OpenClInfo.DeviceValue<ulong>(_device, CL_DEVICE_LOCAL_MEM_SIZE, $"the local memory size of {device}");
        MaxWorkGroupSize = (int)Math.Min(int.MaxValue, OpenClInfo.DeviceValue<nuint>(_device, CL_DEVICE_MAX_WORK_GROUP_SIZE, $"the largest work-group of {device}"));
        ComputeUnits = (int)OpenClInfo.DeviceValue<uint>(_device, CL_DEVICE_MAX_COMPUTE_UNITS, $"the compute units of {device}");
        ulong fp = OpenClInfo.DeviceValue<ulong>(_device, CL_DEVICE_SINGLE_FP_CONFIG, $"the float support of {device}");

        // OpenCL C 1.2 for every device, and IEEE-rounded float division and sqrt where the device
        // can (the CPU backend's are correctly rounded, so results match it more closely).
        BuildOptions = (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0
            ? "-cl-std=CL1.2 -cl-fp32-correctly-rounded-divide-sqrt"
            : "-cl-std=CL1.2";

        nint* properties = stackalloc nint[] { CL_CONTEXT_PLATFORM, info.PlatformId, 0 };
        nint id = _device;
        int code;
        _context = clCreateContext(properties, 1, &id, 0, 0, &code);
        Check(code, "clCreateContext", $"creating a context on {Name}");
        _queue = clCreateCommandQueue(_context, _device, IsProfiling ? CL_QUEUE_PROFILING_ENABLE : 0, &code);
        if (code != 0)
        {
            clReleaseContext(_context);
            throw new OpenClException("clCreateCommandQueue", code, $"creating the command queue of {Name}");
        }
    }

    /// <summary>Every OpenCL device of this machine, usable or not; empty (never throws) when there is no library or platform.</summary>
    /// <returns>The devices, in platform order then device order.</returns>
    public static IReadOnlyList<OpenClDeviceInfo> Available()
    {
        try
        {
            return OpenClPlatforms.Enumerate();
        }
        catch (OpenClUnavailableException)
        {
            return Array.Empty<OpenClDeviceInfo>();
        }
        catch (OpenClException)
        {
            return Array.Empty<OpenClDeviceInfo>();
        }
    }

    /// <summary>Tells whether OpenCL cannot be used here, and why (what the OpenCL tests print when they skip).</summary>
    /// <param name="reason">Why not (no library, no platform, no usable device), or empty when OpenCL can be used.</param>
    /// <returns>True when OpenCL cannot be used.</returns>
    public static bool TryGetUnavailableReason(out string reason)
    {
        try
        {
            var devices = OpenClPlatforms.Enumerate();
            if (devices.Count == 0)
            {
                reason = "the OpenCL platforms here have no device. " + OpenClUnavailableException.InstallHint;
                return true;
            }

            if (!devices.Exists(d => d.MissingFeatures is null))
            {
                reason = "no OpenCL device has what the runtime needs:" + Environment.NewLine + OpenClPlatforms.List(devices);
                return true;
            }

            reason = "";
            return false;
        }
        catch (OpenClUnavailableException e)
        {
            reason = e.Message;
            return true;
        }
        catch (OpenClException e)
        {
            reason = e.Message;
            return true;
        }
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override DeviceKind Kind => DeviceKind.OpenCl;

    /// <inheritdoc/>
    /// <remarks>
    /// True for the runtime's and the generator's kernels: none uses atomics, and every reduction
    /// splits its work by sizes fixed from the problem and the device's properties (never by
    /// timing), summing in a fixed order, so one device gives bit-identical results run after run.
    /// Two different devices (or drivers) may round differently.
    /// </remarks>
    public override bool IsDeterministic => true;

    /// <summary>The platform (driver) name, e.g. <c>Portable Computing Language</c>.</summary>
    public string PlatformName { get; }

    /// <summary>The device name (<c>CL_DEVICE_NAME</c>).</summary>
    public string DeviceName { get; }

    /// <summary>The device's OpenCL version string (<c>CL_DEVICE_VERSION</c>).</summary>
    public string Version { get; }

    /// <summary>The device's global memory in bytes (<c>CL_DEVICE_GLOBAL_MEM_SIZE</c>).</summary>
    public long GlobalMemorySize { get; }

    /// <summary>
    /// The largest single buffer in bytes: the device's <c>CL_DEVICE_MAX_MEM_ALLOC_SIZE</c>, or
    /// <see cref="OpenClDeviceOptions.MaxAllocationSize"/> where that is smaller.
    /// </summary>
    public long MaxAllocationSize { get; }

    /// <summary>Whether <see cref="MaxAllocationSize"/> comes from <see cref="OpenClDeviceOptions.MaxAllocationSize"/> rather than from the device.</summary>
    public bool IsAllocationCapped { get; }

    /// <summary>The local (work-group shared) memory in bytes (<c>CL_DEVICE_LOCAL_MEM_SIZE</c>).</summary>
    public long LocalMemorySize { get; }

    /// <summary>The most work-items in one work-group (<c>CL_DEVICE_MAX_WORK_GROUP_SIZE</c>).</summary>
    public int MaxWorkGroupSize { get; }

    /// <summary>The number of compute units (<c>CL_DEVICE_MAX_COMPUTE_UNITS</c>).</summary>
    public int ComputeUnits { get; }

    /// <summary>Whether the device reports <c>CL_DEVICE_TYPE_GPU</c> (the generated GEMM gives a CPU fewer, larger work-items).</summary>
    public bool IsGpu { get; }

    /// <summary>
    /// The options every program is built with: <c>-cl-std=CL1.2</c>, plus
    /// <c>-cl-fp32-correctly-rounded-divide-sqrt</c> when the device supports it.
    /// </summary>
    public string BuildOptions { get; }

    /// <summary>Whether launches record events for <see cref="OpenClKernel.LastDuration"/> (<see cref="OpenClDeviceOptions.EnableProfiling"/>).</summary>
    public bool IsProfiling { get; }

    /// <summary>How many programs this device has compiled (each distinct source once; cache hits do not count).</summary>
    public int ProgramBuildCount { get; private set; }

    /// <summary>How many <c>cl_mem</c> buffers were created; requests served by the pool do not count.</summary>
    public int BuffersCreated
    {
        get
        {
            lock (_lock)
                return _pool.Created;
        }
    }

    /// <summary>How many buffer requests the pool served with a buffer disposed earlier.</summary>
    public int BuffersReused
    {
        get
        {
            lock (_lock)
                return _pool.Reused;
        }
    }

    internal nint Queue
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _queue;
        }
    }

    internal nint DeviceId => _device;

    internal override bool IsDisposed => _disposed;

    /// <summary>Waits until every command enqueued on the device's queue has finished (<c>clFinish</c>).</summary>
    /// <exception cref="OpenClException">A kernel or transfer failed.</exception>
    public void Finish()
    {
        int code = clFinish(Queue);
        if (code != 0)
            throw new OpenClException("clFinish", code, $"waiting for the commands enqueued on {Name}");
    }

    /// <summary>Submits every enqueued command to the device without waiting (<c>clFlush</c>).</summary>
    /// <exception cref="OpenClException">The queue is broken.</exception>
    public void Flush()
    {
        int code = clFlush(Queue);
        if (code != 0)
            throw new OpenClException("clFlush", code, $"submitting the commands enqueued on {Name}");
    }

    /// <summary>Releases the pool's free buffers (live buffers are not touched).</summary>
    public void TrimMemoryPool()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pool.Trim();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_shared)
            return;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            clFinish(_queue);
            foreach (var kernel in _kernels)
                kernel.ReleaseNative();
            _kernels.Clear();
            foreach (var program in _programs.Values)
                program.ReleaseNative();
            _programs.Clear();
            _pool.ReleaseAll();
            clReleaseCommandQueue(_queue);
            clReleaseContext(_context);
        }
    }

    // Only for calls off the hot path: the message is built before the code is looked at.
    private static void Check(int code, string call, string doing)
    {
        if (code != 0)
            throw new OpenClException(call, code, doing);
    }
}
