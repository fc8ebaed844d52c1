namespace Dsl;

public sealed partial class IlgpuDevice
{
    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> floats (the zeroing is enqueued on the device's stream).</summary>
    /// <param name="count">The number of floats (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages.</param>
    /// <returns>The buffer; dispose it to release its memory.</returns>
    /// <exception cref="DeviceOutOfMemoryException">The device's memory is used up (the message names the buffer and the bytes).</exception>
    public override IlgpuBuffer AllocateFloats(int count, string name) => new(this, count, name, DeviceElementType.Float32);

    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> 32-bit integers (labels, indices).</summary>
    /// <param name="count">The number of ints (0 is allowed).</param>
    /// <param name="name">The buffer's name in error messages.</param>
    /// <returns>The buffer; dispose it to release its memory.</returns>
    /// <exception cref="DeviceOutOfMemoryException">The device's memory is used up.</exception>
    public override IlgpuBuffer AllocateInts(int count, string name) => new(this, count, name, DeviceElementType.Int32);
}
