using System;
using Dsl.Interop.OpenCl;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

public sealed unsafe partial class OpenClDevice
{
    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> floats, from the pool when one of that size is free.</summary>
    /// <param name="count">The number of floats (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages, e.g. <c>_slot3 of Classifier.DeviceProgram</c>.</param>
    /// <returns>The buffer; dispose it to return it to the pool.</returns>
    /// <exception cref="OpenClException">The request exceeds <see cref="MaxAllocationSize"/> (the message names the buffer, the bytes asked and the limit), or the driver is out of memory.</exception>
    public override OpenClBuffer AllocateFloats(int count, string name) => Allocate(count, name, DeviceElementType.Float32);

    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> 32-bit integers (labels, indices).</summary>
    /// <param name="count">The number of ints (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages.</param>
    /// <returns>The buffer; dispose it to return it to the pool.</returns>
    /// <exception cref="OpenClException">As for <see cref="AllocateFloats"/>.</exception>
    public override OpenClBuffer AllocateInts(int count, string name) => Allocate(count, name, DeviceElementType.Int32);

    private OpenClBuffer Allocate(int count, string name, DeviceElementType elementType)
    {
        string elements = elementType == DeviceElementType.Float32 ? "floats" : "ints";
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long bytes = 4L * count;
        if (bytes > MaxAllocationSize)
            throw OpenClException.Refused(
                "clCreateBuffer",
                OpenClErrorCodes.CL_INVALID_BUFFER_SIZE,
                $"Cannot allocate buffer '{name}' of {count} {elements} ({bytes} bytes) on {Name}: "
                + (IsAllocationCapped
                    ? $"OpenClDeviceOptions.MaxAllocationSize allows at most {MaxAllocationSize} bytes in one buffer. "
                    : $"the device allows at most {MaxAllocationSize} bytes in one buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE), so clCreateBuffer would fail with "
                        + $"CL_INVALID_BUFFER_SIZE ({OpenClErrorCodes.CL_INVALID_BUFFER_SIZE}). ")
                + "Use a smaller batch or model, or a device with more memory.");

        // OpenCL has no empty buffers; an empty one still holds one element.
        long size = Math.Max(bytes, 4);
        nint memory;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_pool.TryRent(size, out memory))
            {
                memory = Create(size, name);
                _pool.Add(memory);
            }
        }

        var buffer = new OpenClBuffer(this, memory, count, size, name, elementType);
        try
        {
            // Zeroed like a new float[]: a pooled buffer holds its last owner's values.
            buffer.Fill(0f, 0, count);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        return buffer;
    }

    private nint Create(long size, string name)
    {
        int code;
        nint memory = clCreateBuffer(_context, CL_MEM_READ_WRITE, (nuint)size, null, &code);
        if (code is OpenClErrorCodes.CL_MEM_OBJECT_ALLOCATION_FAILURE or OpenClErrorCodes.CL_OUT_OF_RESOURCES or OpenClErrorCodes.CL_OUT_OF_HOST_MEMORY)
        {
            // Out of memory: give the pool's free buffers back to the driver and try once more.
            _pool.Trim();
            memory = clCreateBuffer(_context, CL_MEM_READ_WRITE, (nuint)size, null, &code);
        }

        if (code != 0)
            throw new OpenClException(
                "clCreateBuffer", code,
                $"allocating buffer '{name}' ({size} bytes) on {Name} (global memory {GlobalMemorySize} bytes, largest buffer {MaxAllocationSize} bytes)");
        return memory;
    }

    /// <summary>Takes a disposed buffer's memory back into the pool.</summary>
    internal void Return(nint memory, long size)
    {
        lock (_lock)
        {
            if (!_disposed)
                _pool.Return(size, memory);
        }
    }
}
