using System;

namespace Dsl;

/// <summary>
/// Where a compiled program runs. A device owns the native resources of its backend (contexts,
/// queues, memory pools); the CPU device owns none and is a process-wide singleton.
/// </summary>
/// <remarks>
/// Obtain one from <see cref="Cpu"/>, <see cref="Default"/>, <see cref="Cuda(int)"/> or <see cref="OpenCL(string?, string?)"/>.
/// Disposing a device releases its native resources; disposing <see cref="Cpu"/> or the shared
/// <see cref="Default"/> is a harmless no-op so that
/// <c>using var device = Device.Default;</c> is always correct.
/// </remarks>
public abstract partial class Device : IDisposable
{
    /// <summary>Creates a device; called by the backends' device classes.</summary>
    protected Device()
    {
    }

    /// <summary>The host CPU (a singleton; never needs disposing).</summary>
    public static Device Cpu => CpuDevice.Instance;

    private static readonly Lazy<Device> DefaultDevice = new(SelectDefault);

    /// <summary>
    /// The best device available to this process, chosen once: CUDA device 0 (where the NVIDIA
    /// driver and cuBLAS load and the JIT is on), else an OpenCL GPU (<c>CL_DEVICE_TYPE_GPU</c>),
    /// else <see cref="Cpu"/>. Never throws; <see cref="Name"/> says which device it is. It is
    /// shared by the process: disposing it is a no-op, like the CPU's.
    /// </summary>
    public static Device Default => DefaultDevice.Value;

    /// <summary>A human-readable name, e.g. <c>"CPU (16 threads, AVX-512)"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Which backend this device belongs to.</summary>
    public abstract DeviceKind Kind { get; }

    /// <summary>
    /// Whether the same program on the same inputs gives bit-identical results every run (no
    /// atomics, no work splits that vary between runs); <see cref="TrainerOptions.Deterministic"/> requires it.
    /// </summary>
    public abstract bool IsDeterministic { get; }

    /// <summary>
    /// The device's kernel library: one validating method per kernel, computed on this device.
    /// Created on first use and owned by the device (built once per device, not once per model).
    /// </summary>
    /// <exception cref="NotSupportedException">The device's backend has no kernel library yet.</exception>
    public virtual DeviceKernels Kernels => throw new NotSupportedException($"{Name} has no kernel library.");

    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> floats in the device's memory.</summary>
    /// <param name="count">The number of floats (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages.</param>
    /// <returns>The buffer; dispose it to release its memory.</returns>
    /// <exception cref="NotSupportedException">The device's backend cannot allocate buffers yet.</exception>
    public virtual DeviceBuffer AllocateFloats(int count, string name) => throw new NotSupportedException($"{Name} cannot allocate buffers.");

    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> 32-bit integers (labels, indices).</summary>
    /// <param name="count">The number of ints (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages.</param>
    /// <returns>The buffer; dispose it to release its memory.</returns>
    /// <exception cref="NotSupportedException">The device's backend cannot allocate buffers yet.</exception>
    public virtual DeviceBuffer AllocateInts(int count, string name) => throw new NotSupportedException($"{Name} cannot allocate buffers.");

    /// <summary>Whether this device can build one of the dialects <paramref name="sources"/> carries (a generated device program runs here only then).</summary>
    /// <param name="sources">A program's fused kernels.</param>
    /// <returns>True if <see cref="BuildFusedKernels"/> will build them.</returns>
    public virtual bool CanBuild(FusedKernelSources sources) => false;

    /// <summary>Builds a program's fused element-wise kernels in the dialect this device speaks.</summary>
    /// <param name="sources">The program's kernels.</param>
    /// <returns>The kernels; the program owns and disposes them.</returns>
    /// <exception cref="NotSupportedException">The program carries no dialect this device builds.</exception>
    public virtual FusedKernels BuildFusedKernels(FusedKernelSources sources) =>
        throw new NotSupportedException($"{Name} builds no fused kernels.");

    /// <summary>Whether the device's native resources are released (its buffers can no longer be read).</summary>
    internal virtual bool IsDisposed => false;

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
