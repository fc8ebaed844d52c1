using System;

namespace Dsl;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the <see cref="CpuDevice"/>: a managed float[] or int[] that
/// <see cref="CpuKernels"/> reads and writes in place.
/// </summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private readonly float[]? _floats;
    private readonly int[]? _ints;

    /// <summary>A buffer over <paramref name="values"/> (not copied).</summary>
    /// <param name="values">The floats.</param>
    /// <param name="name">The name error messages use.</param>
    public CpuBuffer(float[] values, string name)
        : base(DeviceElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(name);
        _floats = values;
        Length = values.Length;
        Name = name;
    }

    /// <summary>A buffer over <paramref name="values"/> (not copied).</summary>
    /// <param name="values">The ints.</param>
    /// <param name="name">The name error messages use.</param>
    public CpuBuffer(int[] values, string name)
        : base(DeviceElementType.Int32)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(name);
        _ints = values;
        Length = values.Length;
        Name = name;
    }

    /// <inheritdoc/>
    public override CpuDevice Device => CpuDevice.Instance;

    /// <inheritdoc/>
    public override int Length { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The floats.</summary>
    /// <exception cref="InvalidOperationException">The buffer holds ints.</exception>
    public float[] Floats => _floats ?? throw new InvalidOperationException($"Buffer '{Name}' holds ints, not floats.");

    /// <summary>The ints.</summary>
    /// <exception cref="InvalidOperationException">The buffer holds floats.</exception>
    public int[] Ints => _ints ?? throw new InvalidOperationException($"Buffer '{Name}' holds floats, not ints.");

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<float> source, int offset = 0) => source.CopyTo(Floats.AsSpan(Range(offset, source.Length)));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<int> source, int offset = 0) => source.CopyTo(Ints.AsSpan(Range(offset, source.Length)));

    /// <inheritdoc/>
    public override void Read(Span<float> destination, int offset = 0) => Floats.AsSpan(Range(offset, destination.Length)).CopyTo(destination);

    /// <inheritdoc/>
    public override void Read(Span<int> destination, int offset = 0) => Ints.AsSpan(Range(offset, destination.Length)).CopyTo(destination);

    /// <summary>Checks that <paramref name="count"/> elements from <paramref name="offset"/> lie in the buffer.</summary>
    private System.Range Range(int offset, int count)
    {
        if (offset < 0 || (long)offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Elements [{offset}, {(long)offset + count}) do not fit in buffer '{Name}' of {Length} elements.");
        return offset..(offset + count);
    }

    /// <summary>Nothing to release: the array belongs to the garbage collector.</summary>
    public override void Dispose()
    {
    }

    /// <summary>e.g. <c>'x' (1024 floats)</c>.</summary>
    public override string ToString() => $"'{Name}' ({Length} {(_floats is null ? "ints" : "floats")})";
}
