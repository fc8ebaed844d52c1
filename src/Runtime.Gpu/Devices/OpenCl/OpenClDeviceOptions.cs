namespace Dsl;

/// <summary>How <see cref="Device.OpenCL(string?, string?, OpenClDeviceOptions)"/> sets up a device.</summary>
public sealed class OpenClDeviceOptions
{
    /// <summary>
    /// Creates the queue with <c>CL_QUEUE_PROFILING_ENABLE</c> and keeps each launch's event, so
    /// <see cref="OpenClKernel.LastDuration"/> can report how long the kernel ran on the device.
    /// Off by default: an event per launch costs a little on every launch.
    /// </summary>
    public bool EnableProfiling { get; init; }

    /// <summary>
    /// The largest single buffer, in bytes, this device object will allocate; null (the default)
    /// takes the device's own limit, <c>CL_DEVICE_MAX_MEM_ALLOC_SIZE</c>. A value above the device's
    /// limit changes nothing. Set it to keep one process from taking most of a shared device, or to
    /// see how a model fails on a smaller one.
    /// </summary>
    /// <remarks>Checked when the device is opened: it must be positive.</remarks>
    public long? MaxAllocationSize { get; init; }
}
