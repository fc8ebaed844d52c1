using System;
using System.Collections.Generic;

namespace Dsl.Onnx;

/// <summary>What an <see cref="OnnxAttribute"/> holds (ONNX's <c>AttributeProto.AttributeType</c>, the kinds the export uses).</summary>
public enum OnnxAttributeKind
{
    /// <summary>One float (<c>epsilon</c>).</summary>
    Float,

    /// <summary>One int (<c>axis</c>, <c>keepdims</c>, <c>to</c>).</summary>
    Int,

    /// <summary>A list of ints (<c>perm</c>).</summary>
    Ints,

    /// <summary>A tensor (a <c>Constant</c>'s <c>value</c>).</summary>
    Tensor,
}

/// <summary>A named attribute of an <see cref="OnnxNode"/>: one float, one int, ints or a tensor.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Kind = kind;
    }

    /// <summary>The attribute's name, as the op's schema spells it.</summary>
    public string Name { get; }

    /// <summary>Which of the values below it holds.</summary>
    public OnnxAttributeKind Kind { get; }

    /// <summary>The value of a <see cref="OnnxAttributeKind.Float"/> attribute.</summary>
    public float FloatValue { get; private init; }

    /// <summary>The value of an <see cref="OnnxAttributeKind.Int"/> attribute.</summary>
    public long IntValue { get; private init; }

    /// <summary>The values of an <see cref="OnnxAttributeKind.Ints"/> attribute.</summary>
    public IReadOnlyList<long> IntValues { get; private init; } = Array.Empty<long>();

    /// <summary>The tensor of an <see cref="OnnxAttributeKind.Tensor"/> attribute.</summary>
    public OnnxTensor? TensorValue { get; private init; }

    /// <summary>An attribute of one float.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float) { FloatValue = value };

    /// <summary>An attribute of one int.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int) { IntValue = value };

    /// <summary>An attribute of a list of ints.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">Its values.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(name, OnnxAttributeKind.Ints) { IntValues = values ?? throw new ArgumentNullException(nameof(values)) };

    /// <summary>An attribute holding a tensor.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The tensor.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Tensor(string name, OnnxTensor value) =>
        new(name, OnnxAttributeKind.Tensor) { TensorValue = value ?? throw new ArgumentNullException(nameof(value)) };
}
