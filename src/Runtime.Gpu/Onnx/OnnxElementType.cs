namespace Dsl.Onnx;

/// <summary>The element types an exported graph uses; the values are ONNX's <c>TensorProto.DataType</c> numbers.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit float: every tensor of the model.</summary>
    Float = 1,

    /// <summary>32-bit int: label and token inputs, as <c>Predict</c> takes them.</summary>
    Int32 = 6,

    /// <summary>64-bit int: the shapes and axes ONNX ops take as inputs.</summary>
    Int64 = 7,

    /// <summary>A condition (the causal mask's, cast for <c>Where</c>).</summary>
    Bool = 9,
}
