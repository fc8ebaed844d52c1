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
}
