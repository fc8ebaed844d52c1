using System;
using System.Collections.Generic;
using Dsl.Generator.Checking;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Ir;

/// <summary>
/// Checks a graph's invariants after a pass (ILGPU's <c>IR/Verifier.cs</c>, tinygrad's
/// <c>spec.py</c>): ids are dense and topological, every node has as many inputs as its op takes
/// (leaves none) and the type its shape rule gives (both from <see cref="OpTable"/>), outputs
/// exist. A violation is a compiler bug, reported as DSL9999 naming the pass, never a wrong program.
/// </summary>
internal static class Verifier
{
    public static void Verify(Graph graph, string afterPass)
    {
        for (int id = 0; id < graph.Nodes.Count; id++)
        {
            Node node = graph[id];
            Require(node.Id == id, afterPass, node, "its id is not its index");
            foreach (int input in node.Inputs)
                Require(input >= 0 && input < id, afterPass, node, "it uses a node that does not come before it");
            // The messages are made only on failure: a graph is verified after each pass, on every edit (issue 21).
            OpDefinition definition = OpTable.Of(node.Op);
            if (definition.Arity == OpDefinition.Variadic ? node.Inputs.Count == 0 : node.Inputs.Count != definition.Arity)
                Fail(afterPass, node, definition.Arity == OpDefinition.Variadic ? "it has no inputs" : $"it has {node.Inputs.Count} inputs where its op takes {definition.Arity}");
            if (!definition.IsLeaf)
            {
                NodeType expected = Infer(graph, node);
                if (expected != new NodeType(node.Shape, node.Batched, node.Type))
                    Fail(afterPass, node, $"its shape rule gives {expected.Type}{expected.Shape}{(expected.Batched ? " batched" : "")}");
            }
        }
        foreach (GraphOutput output in graph.Outputs)
            if (output.Node < 0 || output.Node >= graph.Nodes.Count)
                throw new InvalidOperationException($"IR verification after {afterPass}: output '{output.Name}' refers to %{output.Node}, which does not exist");
        var names = new HashSet<(string, OutputRole)>();
        foreach (GraphOutput output in graph.Outputs)
            if (!names.Add((output.Name, output.Role)))
                throw new InvalidOperationException($"IR verification after {afterPass}: two {output.Role} outputs are named '{output.Name}'");
    }

    private static NodeType Infer(Graph graph, Node node)
    {
        ShapeRule rule = OpTable.Of(node.Op).Shape
            ?? throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no shape rule");
        var inputs = new Node[node.Inputs.Count];
        for (int k = 0; k < inputs.Length; k++)
            inputs[k] = graph[node.Inputs[k]];
        return rule(node, inputs);
    }

    private static void Require(bool condition, string afterPass, Node node, string problem)
    {
        if (!condition)
            Fail(afterPass, node, problem);
    }

    private static void Fail(string afterPass, Node node, string problem) =>
        throw new InvalidOperationException($"IR verification after {afterPass}: {IrPrinter.Format(node)} is invalid: {problem}");
}
