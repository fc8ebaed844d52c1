using System;

namespace Dsl;

/// <summary>
/// A buffer of 4-byte elements (floats or ints) in a <see cref="Dsl.Device"/>'s memory: what the
/// kernels of <see cref="DeviceKernels"/> read and write, through <see cref="DeviceSlice"/>s.
/// Every offset and length is in elements.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    /// <summary>Creates a buffer; called by the backends' buffer classes.</summary>
    /// <param name="elementType">What the buffer holds.</param>
    protected DeviceBuffer(DeviceElementType elementType)
    {
        ElementType = elementType;
    }

    /// <summary>The device the buffer lives on.</summary>
    public abstract Device Device { get; }

    /// <summary>The number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>The name error messages use.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the buffer holds floats or ints.</summary>
    public DeviceElementType ElementType { get; }

    /// <summary>The elements from <paramref name="offset"/> on, as a kernel operand.</summary>
    /// <param name="offset">The first element, in [0, <see cref="Length"/>].</param>
    /// <returns>The slice.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is outside the buffer.</exception>
    public DeviceSlice Slice(int offset)
    {
        if ((uint)offset > (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Buffer '{Name}' has {Length} elements; a slice must start in [0, {Length}].");
        return new DeviceSlice(this, offset);
    }

    /// <summary>Copies <paramref name="source"/> into a float buffer at element <paramref name="offset"/> (a host-to-device transfer).</summary>
    /// <param name="source">The values.</param>
    /// <param name="offset">The first element written.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    public abstract void Write(ReadOnlySpan<float> source, int offset = 0);

    /// <summary>Copies <paramref name="source"/> into an int buffer at element <paramref name="offset"/> (a host-to-device transfer).</summary>
    /// <param name="source">The values.</param>
    /// <param name="offset">The first element written.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    public abstract void Write(ReadOnlySpan<int> source, int offset = 0);

    /// <summary>Copies a float buffer's elements from <paramref name="offset"/> on into <paramref name="destination"/>, after every kernel called before.</summary>
    /// <param name="destination">Receives <c>destination.Length</c> values.</param>
    /// <param name="offset">The first element read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    public abstract void Read(Span<float> destination, int offset = 0);

    /// <summary>Copies an int buffer's elements from <paramref name="offset"/> on into <paramref name="destination"/>, after every kernel called before.</summary>
    /// <param name="destination">Receives <c>destination.Length</c> values.</param>
    /// <param name="offset">The first element read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the buffer.</exception>
    public abstract void Read(Span<int> destination, int offset = 0);

    /// <summary>Releases the buffer's memory. Safe to call more than once.</summary>
    public abstract void Dispose();
}
