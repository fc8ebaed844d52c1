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
    /// <param name="outputs">Its results, in order: one, or one per element of the tuple it returns.</param>
    /// <param name="nodes">The nodes, in an order where each reads only values written before it.</param>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> is empty.</exception>
    public OnnxGraph(string name, OnnxValue[] inputs, OnnxValue[] outputs, OnnxNode[] nodes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(nodes);
        if (outputs.Length == 0)
            throw new ArgumentException("A graph has at least one output.", nameof(outputs));
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Nodes = nodes;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<OnnxValue> Inputs { get; }

    /// <summary>The graph outputs, in the order of the [Forward] method's results (Predict's output spans).</summary>
    public IReadOnlyList<OnnxValue> Outputs { get; }

    /// <summary>The nodes, in topological order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
}
