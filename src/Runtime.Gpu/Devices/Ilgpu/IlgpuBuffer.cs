using System;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

/// <summary>
/// A buffer of 4-byte elements (floats or ints) in an <see cref="IlgpuDevice"/>'s memory, over an
/// ILGPU <c>MemoryBuffer1D</c>. Every offset and count is in elements. A write returns once the
/// host data is staged (CUDA copies pageable memory into a staging buffer before the call
/// returns; the CPU accelerator copies at once), without waiting for the kernels before it; a read
/// waits for every kernel enqueued before it.
/// </summary>
public sealed unsafe class IlgpuBuffer : DeviceBuffer
{
    private MemoryBuffer1D<float, Stride1D.Dense>? _floats;
    private MemoryBuffer1D<int, Stride1D.Dense>? _ints;

    internal IlgpuBuffer(IlgpuDevice device, int count, string name, DeviceElementType elementType)
        : base(elementType)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Device = device;
        Length = count;
        Name = name;
        // ILGPU allocates at least one element, so that an empty buffer still has a view.
        long elements = Math.Max(count, 1);
        try
        {
            Accelerator accelerator = device.Accelerator;
            if (elementType == DeviceElementType.Float32)
            {
                _floats = accelerator.Allocate1D<float>(elements);
                _floats.MemSetToZero(device.Stream);
            }
            else
            {
                _ints = accelerator.Allocate1D<int>(elements);
                _ints.MemSetToZero(device.Stream);
            }
        }
        catch (Exception e) when (IlgpuErrors.Allocation(e, name, 4L * count, device) is { } typed)
        {
            _floats?.Dispose();
            _ints?.Dispose();
            throw typed;
        }

        device.Ledger.CountLiveBuffer(1);
    }

    /// <inheritdoc/>
    public override IlgpuDevice Device { get; }

    /// <inheritdoc/>
    public override int Length { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The floats from <paramref name="offset"/> on, as a kernel argument.</summary>
    internal ArrayView<float> Floats(int offset)
    {
        var buffer = Device.IsDisposed ? null : _floats;
        buffer ??= ThrowUnusable<MemoryBuffer1D<float, Stride1D.Dense>>(DeviceElementType.Float32);
        return buffer.View.SubView(offset, Math.Max(Length - offset, 0));
    }

    /// <summary>The ints from <paramref name="offset"/> on, as a kernel argument.</summary>
    internal ArrayView<int> Ints(int offset)
    {
        var buffer = Device.IsDisposed ? null : _ints;
        buffer ??= ThrowUnusable<MemoryBuffer1D<int, Stride1D.Dense>>(DeviceElementType.Int32);
        return buffer.View.SubView(offset, Math.Max(Length - offset, 0));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The buffer holds ints.</exception>
    public override void Write(ReadOnlySpan<float> source, int offset = 0)
    {
        CheckRange(offset, source.Length);
        if (!source.IsEmpty)
            Upload(Floats(offset).SubView(0, source.Length), source);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The buffer holds floats.</exception>
    public override void Write(ReadOnlySpan<int> source, int offset = 0)
    {
        CheckRange(offset, source.Length);
        if (!source.IsEmpty)
            Upload(Ints(offset).SubView(0, source.Length), source);
    }

    /// <inheritdoc/>
    /// <exception cref="KernelLaunchException">A kernel enqueued before the read failed.</exception>
    public override void Read(Span<float> destination, int offset = 0)
    {
        CheckRange(offset, destination.Length);
        if (!destination.IsEmpty)
            Download(Floats(offset).SubView(0, destination.Length), destination);
    }

    /// <inheritdoc/>
    /// <exception cref="KernelLaunchException">A kernel enqueued before the read failed.</exception>
    public override void Read(Span<int> destination, int offset = 0)
    {
        CheckRange(offset, destination.Length);
        if (!destination.IsEmpty)
            Download(Ints(offset).SubView(0, destination.Length), destination);
    }

    /// <summary>Releases the buffer's memory. Safe to call more than once.</summary>
    public override void Dispose()
    {
        if (_floats is null && _ints is null)
            return;
        // A device already disposed has released its memory with its accelerator.
        if (!Device.IsDisposed)
        {
            _floats?.Dispose();
            _ints?.Dispose();
        }

        _floats = null;
        _ints = null;
        Device.Ledger.CountLiveBuffer(-1);
    }

    /// <summary>e.g. <c>'_slot3' (1024 elements)</c>.</summary>
    public override string ToString() => $"'{Name}' ({Length} elements)";

    // Enqueued without a wait: the pinned source is staged before the call returns.
    private void Upload<T>(ArrayView<T> target, ReadOnlySpan<T> source)
        where T : unmanaged
    {
        fixed (T* s = source)
        {
            try
            {
                target.CopyFromCPUUnsafeAsync(Device.Stream, ref *s, source.Length);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, $"Writing buffer '{Name}'", Device) is { } typed)
            {
                throw typed;
            }
        }

        Device.Ledger.CountTransfer((long)sizeof(T) * source.Length, toDevice: true);
    }

    // Waits for every kernel enqueued before, then copies.
    private void Download<T>(ArrayView<T> source, Span<T> destination)
        where T : unmanaged
    {
        fixed (T* d = destination)
        {
            try
            {
                source.CopyToCPU(Device.Stream, ref *d, destination.Length);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, $"Reading buffer '{Name}'", Device) is { } typed)
            {
                throw typed;
            }
        }

        Device.Ledger.CountTransfer((long)sizeof(T) * destination.Length, toDevice: false);
        Device.Ledger.CountSynchronization();
    }

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || (long)offset + count > Length)
            throw new ArgumentOutOfRangeException(
                nameof(offset), $"Elements [{offset}, {(long)offset + count}) do not fit in buffer '{Name}' of {Length} elements.");
    }

    private T ThrowUnusable<T>(DeviceElementType wanted)
    {
        if (Device.IsDisposed)
            throw new ObjectDisposedException(Name, $"The device of buffer '{Name}' has been disposed.");
        if (ElementType != wanted)
            throw new ArgumentException($"Buffer '{Name}' holds {(ElementType == DeviceElementType.Float32 ? "floats" : "ints")}, not {(wanted == DeviceElementType.Float32 ? "floats" : "ints")}.");
        throw new ObjectDisposedException(Name, $"Buffer '{Name}' has been disposed.");
    }
}
