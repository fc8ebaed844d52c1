using System;
using System.Collections.Generic;

namespace Dsl.Onnx;

/// <summary>
/// One node of an exported graph: an operator of ONNX's default domain at opset
/// <see cref="OnnxGraph.Opset"/>, the names of its inputs (graph inputs, parameters, earlier
/// nodes' outputs, or "" for an optional input left out), its one output and its attributes.
/// </summary>
public sealed class OnnxNode
{
    /// <summary>Creates a node.</summary>
    /// <param name="opType">The operator, as ONNX's schema names it (<c>MatMul</c>, <c>Softmax</c>).</param>
    /// <param name="inputs">The names of the values it reads, in the schema's order.</param>
    /// <param name="output">The name of the value it writes.</param>
    /// <param name="attributes">Its attributes.</param>
    public OnnxNode(string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(output);
        OpType = opType;
        Inputs = inputs;
        Output = output;
        Attributes = attributes ?? Array.Empty<OnnxAttribute>();
    }

    /// <summary>The operator.</summary>
    public string OpType { get; }

    /// <summary>The names of its inputs.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The name of its output.</summary>
    public string Output { get; }

    /// <summary>Its attributes.</summary>
    public IReadOnlyList<OnnxAttribute> Attributes { get; }

    /// <summary>A <c>Constant</c> node of a float scalar.</summary>
    /// <param name="output">The constant's name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The node.</returns>
    public static OnnxNode Scalar(string output, float value) =>
        new("Constant", Array.Empty<string>(), output, OnnxAttribute.Tensor("value", OnnxTensor.Floats(Array.Empty<long>(), value)));

    /// <summary>A <c>Constant</c> node of a vector of int64 (a shape, axes, starts and ends).</summary>
    /// <param name="output">The constant's name.</param>
    /// <param name="values">Its values.</param>
    /// <returns>The node.</returns>
    public static OnnxNode Int64s(string output, params long[] values) =>
        new("Constant", Array.Empty<string>(), output, OnnxAttribute.Tensor("value", OnnxTensor.Int64s(new long[] { values.Length }, values)));
}
