using System;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// A buffer of 4-byte elements (floats or ints) in an <see cref="OpenClDevice"/>'s memory. Every
/// offset and count is in elements. Transfers to and from the host are blocking (the span may be
/// on the stack or unpinned), fills and copies are enqueued; all go through the device's in-order
/// queue, so each is ordered after every kernel enqueued before it.
/// </summary>
/// <remarks>Dispose returns the memory to the device's pool; the device's disposal releases it.</remarks>
public sealed unsafe class OpenClBuffer : DeviceBuffer
{
    private readonly long _size;
    private nint _memory;

    internal OpenClBuffer(OpenClDevice device, nint memory, int count, long size, string name, DeviceElementType elementType)
        : base(elementType)
    {
        Device = device;
        _memory = memory;
        Count = count;
        _size = size;
        Name = name;
        device.Ledger.CountLiveBuffer(1);
    }

    /// <summary>The number of elements.</summary>
    public int Count { get; }

    /// <inheritdoc/>
    /// <remarks>The same as <see cref="Count"/>.</remarks>
    public override int Length => Count;

    /// <summary>The name error messages use.</summary>
    public override string Name { get; }

    /// <summary>The device the buffer lives on.</summary>
    public override OpenClDevice Device { get; }

    /// <summary>The <c>cl_mem</c>, for kernel arguments.</summary>
    internal nint Memory
    {
        get
        {
            if (_memory == 0 || Device.IsDisposed)
                ThrowDisposed();
            return _memory;
        }
    }

    /// <summary>Copies <paramref name="source"/> into the buffer at element <paramref name="offset"/>, waiting until it is done.</summary>
    /// <param name="source">The values.</param>
    /// <param name="offset">The first element written.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    /// <exception cref="OpenClException">The transfer failed.</exception>
    public override void Write(ReadOnlySpan<float> source, int offset = 0)
    {
        fixed (float* s = source)
            Transfer(s, source.Length, offset, write: true);
    }

    /// <summary>Copies <paramref name="source"/> into the buffer at element <paramref name="offset"/>, waiting until it is done.</summary>
    /// <param name="source">The values.</param>
    /// <param name="offset">The first element written.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    /// <exception cref="OpenClException">The transfer failed.</exception>
    public override void Write(ReadOnlySpan<int> source, int offset = 0)
    {
        fixed (int* s = source)
            Transfer(s, source.Length, offset, write: true);
    }

    /// <summary>Copies elements from <paramref name="offset"/> on into <paramref name="destination"/>, after every enqueued kernel.</summary>
    /// <param name="destination">Receives <c>destination.Length</c> values.</param>
    /// <param name="offset">The first element read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    /// <exception cref="OpenClException">The transfer, or a kernel before it, failed.</exception>
    public override void Read(Span<float> destination, int offset = 0)
    {
        fixed (float* d = destination)
            Transfer(d, destination.Length, offset, write: false);
    }

    /// <summary>Copies elements from <paramref name="offset"/> on into <paramref name="destination"/>, after every enqueued kernel.</summary>
    /// <param name="destination">Receives <c>destination.Length</c> values.</param>
    /// <param name="offset">The first element read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    /// <exception cref="OpenClException">The transfer, or a kernel before it, failed.</exception>
    public override void Read(Span<int> destination, int offset = 0)
    {
        fixed (int* d = destination)
            Transfer(d, destination.Length, offset, write: false);
    }

    /// <summary>Sets <paramref name="count"/> elements from <paramref name="offset"/> to <paramref name="value"/> (enqueued).</summary>
    /// <param name="value">The value (its bit pattern, so an int buffer can be filled with <c>BitConverter.Int32BitsToSingle</c>).</param>
    /// <param name="offset">The first element set.</param>
    /// <param name="count">How many elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    /// <exception cref="OpenClException">The fill failed.</exception>
    public void Fill(float value, int offset, int count)
    {
        CheckRange(offset, count);
        if (count == 0)
            return;
        nint memory = Memory;
        int code = clEnqueueFillBuffer(Device.Queue, memory, &value, sizeof(float), (nuint)(4L * offset), (nuint)(4L * count), 0, null, null);
        if (code != 0)
            throw new OpenClException("clEnqueueFillBuffer", code, $"filling elements [{offset}, {offset + count}) of buffer '{Name}' with {value}");
    }

    /// <summary>Copies <paramref name="count"/> elements to <paramref name="destination"/> on the device (enqueued).</summary>
    /// <param name="destination">A buffer of the same device (it may be this one when the ranges do not overlap).</param>
    /// <param name="sourceOffset">The first element read here.</param>
    /// <param name="destinationOffset">The first element written there.</param>
    /// <param name="count">How many elements.</param>
    /// <exception cref="ArgumentException">The buffers are on different devices, or the ranges overlap in one buffer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A range does not fit in its buffer.</exception>
    /// <exception cref="OpenClException">The copy failed.</exception>
    public void CopyTo(OpenClBuffer destination, int sourceOffset, int destinationOffset, int count)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Device != Device)
            throw new ArgumentException($"Buffer '{destination.Name}' is on {destination.Device.Name}, not on {Device.Name} with '{Name}'; copy through the host.", nameof(destination));
        CheckRange(sourceOffset, count);
        destination.CheckRange(destinationOffset, count);
        if (destination == this && sourceOffset < destinationOffset + count && destinationOffset < sourceOffset + count)
            throw new ArgumentException(
                $"Copying elements [{sourceOffset}, {sourceOffset + count}) of '{Name}' onto [{destinationOffset}, {destinationOffset + count}) overlaps; OpenCL copies need disjoint ranges.", nameof(destinationOffset));
        if (count == 0)
            return;
        nint source = Memory, target = destination.Memory;
        int code = clEnqueueCopyBuffer(Device.Queue, source, target, (nuint)(4L * sourceOffset), (nuint)(4L * destinationOffset), (nuint)(4L * count), 0, null, null);
        if (code != 0)
            throw new OpenClException("clEnqueueCopyBuffer", code, $"copying {count} elements from '{Name}'[{sourceOffset}] to '{destination.Name}'[{destinationOffset}]");
    }

    /// <summary>Returns the memory to the device's pool. Safe to call more than once.</summary>
    public override void Dispose()
    {
        nint memory = _memory;
        if (memory == 0)
            return;
        _memory = 0;
        Device.Ledger.CountLiveBuffer(-1);
        Device.Return(memory, _size);
    }

    /// <summary>e.g. <c>'_slot3' (1024 elements)</c>.</summary>
    public override string ToString() => $"'{Name}' ({Count} elements)";

    private void Transfer(void* host, int length, int offset, bool write)
    {
        CheckRange(offset, length);
        if (length == 0)
            return;
        nint memory = Memory, queue = Device.Queue;
        int code = write
            ? clEnqueueWriteBuffer(queue, memory, CL_TRUE, (nuint)(4L * offset), (nuint)(4L * length), host, 0, null, null)
            : clEnqueueReadBuffer(queue, memory, CL_TRUE, (nuint)(4L * offset), (nuint)(4L * length), host, 0, null, null);
        if (code != 0)
            throw new OpenClException(
                write ? "clEnqueueWriteBuffer" : "clEnqueueReadBuffer", code,
                $"{(write ? "writing" : "reading")} elements [{offset}, {offset + length}) of buffer '{Name}' on {Device.Name}");
        Device.Ledger.CountTransfer(4L * length, toDevice: write);
    }

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > Count)
            throw new ArgumentOutOfRangeException(
                nameof(offset), $"Elements [{offset}, {(long)offset + count}) do not fit in buffer '{Name}' of {Count} elements.");
    }

    private void ThrowDisposed() =>
        throw new ObjectDisposedException(Name, Device.IsDisposed ? $"The device of buffer '{Name}' has been disposed." : $"Buffer '{Name}' has been disposed.");
}
