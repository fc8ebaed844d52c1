using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Dsl.Checkpoints;

namespace Dsl;

/// <summary>
/// One named tensor of a safetensors file: its element type, its shape and its raw
/// little-endian bytes, with conversions to <see cref="float"/> and <see cref="long"/>.
/// </summary>
public sealed class SafeTensor
{
    private readonly int[] _shape;

    /// <summary>Wraps raw little-endian bytes as a tensor.</summary>
    /// <param name="name">The tensor's name (a <c>state_dict</c> key such as <c>hidden.weight</c>).</param>
    /// <param name="dtype">The element type of <paramref name="data"/>.</param>
    /// <param name="shape">The dimensions, outermost first; <c>[]</c> is a scalar. Copied.</param>
    /// <param name="data">Exactly <c>product(shape) * size(dtype)</c> bytes, little-endian, row-major. Not copied.</param>
    /// <exception cref="ArgumentException">A dimension is negative, the element count overflows, or the byte count does not match.</exception>
    public SafeTensor(string name, SafeTensorsDType dtype, int[] shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (!Enum.IsDefined(dtype))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"Tensor '{name}': unknown dtype.");
        long count = CountElements(name, shape);
        long expectedBytes;
        try
        {
            expectedBytes = checked(count * SafeTensorsDTypes.SizeOf(dtype));
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Tensor '{name}' with shape {SafeTensorsDTypes.FormatShape(shape)} has too many bytes to address.", nameof(shape));
        }

        if (data.Length != expectedBytes)
            throw new ArgumentException($"Tensor '{name}' ({dtype}, shape {SafeTensorsDTypes.FormatShape(shape)}) needs {expectedBytes} bytes but got {data.Length}.", nameof(data));
        Name = name;
        DType = dtype;
        _shape = (int[])shape.Clone();
        ElementCount = count;
        Data = data;
    }

    /// <summary>The tensor's name.</summary>
    public string Name { get; }

    /// <summary>The element type of <see cref="Data"/>.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>The dimensions, outermost first (a copy; <c>[]</c> for a scalar).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The raw little-endian, row-major bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    internal ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>Creates an <see cref="SafeTensorsDType.F32"/> tensor from a copy of <paramref name="values"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="shape">The dimensions, outermost first.</param>
    /// <param name="values">Exactly <c>product(shape)</c> values, row-major.</param>
    /// <returns>A tensor that owns its bytes.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the product of <paramref name="shape"/>.</exception>
    public static SafeTensor FromFloats(string name, int[] shape, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        CheckValueCount(name, shape, values.Length);
        byte[] bytes = AllocateBytes(name, values.Length, sizeof(float));
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return new SafeTensor(name, SafeTensorsDType.F32, shape, bytes);
    }

    /// <summary>Creates an <see cref="SafeTensorsDType.I64"/> tensor from a copy of <paramref name="values"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="shape">The dimensions, outermost first.</param>
    /// <param name="values">Exactly <c>product(shape)</c> values, row-major.</param>
    /// <returns>A tensor that owns its bytes.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the product of <paramref name="shape"/>.</exception>
    public static SafeTensor FromInt64s(string name, int[] shape, ReadOnlySpan<long> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        CheckValueCount(name, shape, values.Length);
        byte[] bytes = AllocateBytes(name, values.Length, sizeof(long));
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return new SafeTensor(name, SafeTensorsDType.I64, shape, bytes);
    }

    /// <summary>
    /// Returns the values as floats: F32 exactly, F64/F16/BF16 converted to the nearest float.
    /// </summary>
    /// <returns>A new array of <see cref="ElementCount"/> floats.</returns>
    /// <exception cref="InvalidOperationException">The dtype is not floating-point, or the tensor is larger than an array.</exception>
    public float[] ToFloats()
    {
        SafeTensorConversions.RequireFloatingPoint(this);
        if (ElementCount > Array.MaxLength)
            throw new InvalidOperationException($"Tensor '{Name}' has {ElementCount} elements, more than one array holds; use CopyTo in pieces.");
        var values = new float[ElementCount];
        SafeTensorConversions.ToFloats(DType, Data.Span, values);
        return values;
    }

    /// <summary>Writes the values, converted as by <see cref="ToFloats"/>, into <paramref name="destination"/>.</summary>
    /// <param name="destination">Exactly <see cref="ElementCount"/> floats.</param>
    /// <exception cref="ArgumentException">The destination's length differs from <see cref="ElementCount"/>.</exception>
    /// <exception cref="InvalidOperationException">The dtype is not floating-point.</exception>
    public void CopyTo(Span<float> destination)
    {
        SafeTensorConversions.RequireFloatingPoint(this);
        if (destination.Length != ElementCount)
            throw new ArgumentException($"Tensor '{Name}' (shape {SafeTensorsDTypes.FormatShape(_shape)}) has {ElementCount} elements but the destination holds {destination.Length}.", nameof(destination));
        SafeTensorConversions.ToFloats(DType, Data.Span, destination);
    }

    /// <summary>Returns the values of an integer or BOOL tensor as 64-bit integers.</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    /// <exception cref="InvalidOperationException">The dtype is floating-point, or a U64 value exceeds <see cref="long.MaxValue"/>.</exception>
    public long[] ToInt64s()
    {
        if (SafeTensorsDTypes.IsFloatingPoint(DType))
            throw new InvalidOperationException($"Tensor '{Name}' has dtype {DType}; ToInt64s reads integer and BOOL tensors only (use ToFloats).");
        if (ElementCount > Array.MaxLength)
            throw new InvalidOperationException($"Tensor '{Name}' has {ElementCount} elements, more than one array holds.");
        var values = new long[ElementCount];
        SafeTensorConversions.ToInt64s(this, values);
        return values;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DType} {SafeTensorsDTypes.FormatShape(_shape)}";

    private static long CountElements(string name, int[] shape)
    {
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentException($"Tensor '{name}' has shape {SafeTensorsDTypes.FormatShape(shape)}; dimension {i} is negative.", nameof(shape));
            try
            {
                count = checked(count * shape[i]);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"Tensor '{name}' has shape {SafeTensorsDTypes.FormatShape(shape)}, more elements than a 64-bit count holds.", nameof(shape));
            }
        }

        return count;
    }

    private static byte[] AllocateBytes(string name, int count, int elementSize)
    {
        if ((long)count * elementSize > Array.MaxLength)
            throw new ArgumentException($"Tensor '{name}' needs {(long)count * elementSize} bytes, more than one array holds.", nameof(count));
        return new byte[count * elementSize];
    }

    private static void CheckValueCount(string name, int[] shape, int valueCount)
    {
        long count = CountElements(name, shape);
        if (count != valueCount)
            throw new ArgumentException($"Tensor '{name}' has shape {SafeTensorsDTypes.FormatShape(shape)} ({count} elements) but {valueCount} values were given.", nameof(shape));
    }
}
