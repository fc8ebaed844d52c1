namespace Dsl;

/// <summary>
/// A kernel operand: a <see cref="DeviceBuffer"/> and the element where the operand starts.
/// Made by <see cref="DeviceBuffer.Slice(int)"/>, or implicitly from a buffer (offset 0). The
/// kernels check that the slice is long enough for what they touch, so the slice carries no length.
/// </summary>
public readonly struct DeviceSlice
{
    /// <summary>A slice of <paramref name="buffer"/> from <paramref name="offset"/>; <see cref="DeviceBuffer.Slice(int)"/> checks the range.</summary>
    internal DeviceSlice(DeviceBuffer buffer, int offset)
    {
        Buffer = buffer;
        Offset = offset;
    }

    /// <summary>The buffer (null for <c>default</c>, which every kernel refuses).</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>The first element, in elements from the buffer's start.</summary>
    public int Offset { get; }

    /// <summary>The elements from <see cref="Offset"/> to the buffer's end.</summary>
    public int Length => Buffer is null ? 0 : Buffer.Length - Offset;

    /// <summary>The whole buffer, from element 0 (a null buffer gives <c>default</c>, which every kernel refuses).</summary>
    /// <param name="buffer">The buffer.</param>
    public static implicit operator DeviceSlice(DeviceBuffer? buffer) => buffer is null ? default : buffer.Slice(0);

    /// <summary>e.g. <c>'_slot3'[16..1024)</c>: the buffer and the elements from the offset to its end.</summary>
    public override string ToString() => Buffer is null ? "(no buffer)" : $"'{Buffer.Name}'[{Offset}..{Buffer.Length})";
}
