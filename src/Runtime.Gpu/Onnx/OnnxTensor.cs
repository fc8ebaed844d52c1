using System;
using System.Collections.Generic;

namespace Dsl.Onnx;

/// <summary>A small constant tensor of floats or 64-bit ints (a scalar, a shape, the axes of a reduction).</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(OnnxElementType type, IReadOnlyList<long> dimensions, long count)
    {
        long size = 1;
        foreach (long dimension in dimensions)
            size *= dimension >= 0 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimensions), dimension, "A dimension cannot be negative.");
        if (size != count)
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", dimensions)}] holds {size} values, not {count}.", nameof(dimensions));
        Type = type;
        Dimensions = dimensions;
    }

    /// <summary>The element type: <see cref="OnnxElementType.Float"/> or <see cref="OnnxElementType.Int64"/>.</summary>
    public OnnxElementType Type { get; }

    /// <summary>The shape; empty for a scalar.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The values of a float tensor, row-major.</summary>
    public IReadOnlyList<float> FloatValues { get; private init; } = Array.Empty<float>();

    /// <summary>The values of an int64 tensor, row-major.</summary>
    public IReadOnlyList<long> Int64Values { get; private init; } = Array.Empty<long>();

    /// <summary>A float tensor.</summary>
    /// <param name="dimensions">Its shape (empty for a scalar).</param>
    /// <param name="values">Its values, row-major; as many as the shape holds.</param>
    /// <returns>The tensor.</returns>
    public static OnnxTensor Floats(long[] dimensions, params float[] values) =>
        new(OnnxElementType.Float, dimensions ?? throw new ArgumentNullException(nameof(dimensions)), (values ?? throw new ArgumentNullException(nameof(values))).Length) { FloatValues = values };

    /// <summary>An int64 tensor.</summary>
    /// <param name="dimensions">Its shape (empty for a scalar).</param>
    /// <param name="values">Its values, row-major; as many as the shape holds.</param>
    /// <returns>The tensor.</returns>
    public static OnnxTensor Int64s(long[] dimensions, params long[] values) =>
        new(OnnxElementType.Int64, dimensions ?? throw new ArgumentNullException(nameof(dimensions)), (values ?? throw new ArgumentNullException(nameof(values))).Length) { Int64Values = values };
}
