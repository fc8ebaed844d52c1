using System.Collections.Generic;

namespace Dsl.Generator.Emit.Onnx;

/// <summary>What an <see cref="OnnxAttr"/> holds; each renders as one <c>Dsl.Onnx.OnnxAttribute</c> factory call.</summary>
internal enum OnnxAttrKind
{
    Int,
    Ints,
    Float,

    /// <summary>A one-element float tensor (<c>ConstantOfShape</c>'s <c>value</c>).</summary>
    FloatFill,
}

/// <summary>One attribute of an ONNX node, as the generator plans it.</summary>
internal sealed record OnnxAttr(string Name, OnnxAttrKind Kind, long[] Ints, double Float)
{
    public static OnnxAttr Int(string name, long value) => new(name, OnnxAttrKind.Int, new[] { value }, 0);

    public static OnnxAttr IntList(string name, params long[] values) => new(name, OnnxAttrKind.Ints, values, 0);

    public static OnnxAttr Real(string name, double value) => new(name, OnnxAttrKind.Float, new long[0], value);

    public static OnnxAttr Fill(double value) => new("value", OnnxAttrKind.FloatFill, new long[0], value);
}

/// <summary>
/// One ONNX node of an exported forward graph: an operator of the default domain with its inputs,
/// its one output and attributes, or a constant (<see cref="Scalar"/>, <see cref="Int64s"/>).
/// </summary>
internal sealed record OnnxStep(string OpType, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<OnnxAttr> Attributes)
{
    /// <summary>The id of the IR node whose rule added this step (its group in the generated list).</summary>
    public int Origin { get; init; }

    /// <summary>The value of a float scalar constant, when this step is one.</summary>
    public double? Scalar { get; init; }

    /// <summary>The values of an int64 vector constant, when this step is one.</summary>
    public long[]? Int64s { get; init; }
}
