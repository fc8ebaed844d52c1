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

    /// <summary>Nothing to release: the array belongs to the garbage collector.</summary>
    public override void Dispose()
    {
    }

    /// <summary>e.g. <c>'x' (1024 floats)</c>.</summary>
    public override string ToString() => $"'{Name}' ({Length} {(_floats is null ? "ints" : "floats")})";
}
