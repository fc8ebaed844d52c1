using System;
using System.Collections.Generic;

namespace Dsl.Onnx;

/// <summary>
/// A graph input or output: its name (the [Forward] method's parameter, or its result), element
/// type and shape per example. The exported shape puts the dynamic axis <c>batch</c> first.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="Type">Its element type.</param>
/// <param name="Shape">Its shape per example, without the batch axis.</param>
public sealed record OnnxValue(string Name, OnnxElementType Type, IReadOnlyList<int> Shape)
{
    /// <summary>The name of the dynamic batch axis (ONNX's <c>dim_param</c>) every input and output starts with.</summary>
    public const string BatchAxis = "batch";

    /// <summary>The value's name in the graph.</summary>
    public string Name { get; } = !string.IsNullOrEmpty(Name) ? Name : throw new ArgumentException("A graph value needs a name.", nameof(Name));
}
