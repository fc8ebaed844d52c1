using System;
using System.Collections.Generic;

namespace Dsl.Onnx;

/// <summary>
/// A model's [Forward] graph as ONNX nodes, written out by the source generator at compile time
/// from the typed graph it compiles (one list of nodes per model, read from the op table's ONNX
/// column). <see cref="OnnxExporter"/> adds the parameters as initializers and writes the file.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The opset of ONNX's default domain the nodes are written for.</summary>
    public const int Opset = 17;

    /// <summary>Creates a graph.</summary>
    /// <param name="name">The graph's name: the model's.</param>
    /// <param name="inputs">The [Forward] method's parameters, in order.</param>
    /// <param name="output">Its result.</param>
    /// <param name="nodes">The nodes, in an order where each reads only values written before it.</param>
    public OnnxGraph(string name, OnnxValue[] inputs, OnnxValue output, OnnxNode[] nodes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(nodes);
        Name = name;
        Inputs = inputs;
        Output = output;
        Nodes = nodes;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<OnnxValue> Inputs { get; }

    /// <summary>The graph output.</summary>
    public OnnxValue Output { get; }

    /// <summary>The nodes, in topological order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
}
