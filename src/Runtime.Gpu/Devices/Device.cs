using System;

namespace Dsl;

/// <summary>
/// Where a compiled program runs. A device owns the native resources of its backend (contexts,
/// queues, memory pools); the CPU device owns none and is a process-wide singleton.
/// </summary>
/// <remarks>
/// Obtain one from <see cref="Cpu"/> or <see cref="Default"/>. Disposing a device releases its
/// native resources; disposing <see cref="Cpu"/> is a harmless no-op so that
/// <c>using var device = Device.Default;</c> is always correct.
/// </remarks>
public abstract class Device : IDisposable
{
    /// <summary>Creates a device; called by the backends' device classes.</summary>
    protected Device()
    {
    }

    /// <summary>The host CPU (a singleton; never needs disposing).</summary>
    public static Device Cpu => CpuDevice.Instance;

    /// <summary>
    /// The best device available to this process. Today that is always <see cref="Cpu"/>; once the
    /// CUDA and OpenCL backends land it becomes CUDA, else OpenCL, else the CPU.
    /// </summary>
    public static Device Default => Cpu;

    /// <summary>A human-readable name, e.g. <c>"CPU (16 threads, AVX-512)"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Which backend this device belongs to.</summary>
    public abstract DeviceKind Kind { get; }

    /// <summary>
    /// Whether the same program on the same inputs gives bit-identical results every run (no
    /// atomics, no work splits that vary between runs); <see cref="TrainerOptions.Deterministic"/> requires it.
    /// </summary>
    public abstract bool IsDeterministic { get; }

    /// <summary>Releases the device's native resources. Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases native resources; <paramref name="disposing"/> is false from a finalizer.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
