using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Checking;

namespace Dsl.Generator.Ir;

/// <summary>
/// Checks a graph's invariants after a pass (ILGPU's <c>IR/Verifier.cs</c>, tinygrad's
/// <c>spec.py</c>): ids are dense and topological, every node's type is what its shape rule
/// gives, leaves have no inputs, outputs exist. A violation is a compiler bug, reported as DSL9999
/// naming the pass, never a wrong program.
/// </summary>
internal static class Verifier
{
    public static void Verify(Graph graph, string afterPass)
    {
        for (int id = 0; id < graph.Nodes.Count; id++)
        {
            Node node = graph[id];
            Require(node.Id == id, afterPass, node, "its id is not its index");
            Require(node.Inputs.All(i => i >= 0 && i < id), afterPass, node, "it uses a node that does not come before it");
            Require((OpGroups.IsLeaf(node.Op) || OpGroups.IsGenerator(node.Op)) == (node.Inputs.Count == 0), afterPass, node, "leaves and generators, and only they, have no inputs");
            if (!OpGroups.IsLeaf(node.Op))
            {
                NodeType expected = Infer(graph, node);
                Require(expected == new NodeType(node.Shape, node.Batched, node.Type), afterPass, node,
                    $"its shape rule gives {expected.Type}{expected.Shape}{(expected.Batched ? " batched" : "")}");
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
        Node A() => graph[node.Inputs[0]];
        Node B() => graph[node.Inputs[1]];
        return node.Op switch
        {
            _ when OpGroups.IsUnary(node.Op) => ShapeRules.Unary(node.Op, A()),
            _ when OpGroups.IsBinary(node.Op) => ShapeRules.Binary(node.Op, A(), B()),
            OpKind.Broadcast => ShapeRules.Broadcast(A(), node.Shape),
            OpKind.Where => ShapeRules.Where(A(), B(), graph[node.Inputs[2]]),
            OpKind.Transpose => ShapeRules.Transpose(A(), node.Attributes[0], node.Attributes[1]),
            OpKind.Reshape => ShapeRules.Reshape(A(), node.Shape),
            OpKind.Concat => ShapeRules.Concat(node.Attributes[0], node.Inputs.Select(i => graph[i]).ToArray()),
            OpKind.Slice => ShapeRules.Slice(A(), node.Attributes[0], node.Attributes[1], node.Attributes[2]),
            OpKind.CausalMask => ShapeRules.CausalMask(node.Shape[0]),
            OpKind.ExpandLast => ShapeRules.ExpandLast(A(), node.Shape.Last),
            OpKind.Tile => ShapeRules.Tile(A(), node.Shape.Leading),
            OpKind.SplitHeads => ShapeRules.SplitHeads(A(), node.Attributes[0], node.Attributes[1], node.Attributes[2]),
            OpKind.MergeHeads => ShapeRules.MergeHeads(A(), node.Attributes[0], node.Attributes[1]),
            OpKind.CausalSoftmax => ShapeRules.CausalSoftmax(A()),
            OpKind.Sum => ShapeRules.Sum(A()),
            OpKind.SumLast => ShapeRules.SumLast(A()),
            OpKind.SumLeading => ShapeRules.SumLeading(A()),
            OpKind.BatchSum => ShapeRules.BatchSum(A()),
            OpKind.Linear => ShapeRules.Linear(A(), B()),
            OpKind.LinearTranspose => ShapeRules.LinearTranspose(A(), B()),
            OpKind.OuterBatchSum => ShapeRules.OuterBatchSum(A(), B()),
            OpKind.MatMul => ShapeRules.MatMul(A(), B(), node.Attributes[0] != 0, node.Attributes[1] != 0),
            OpKind.Softmax or OpKind.LogSoftmax => ShapeRules.Rowwise(node.Op, A()),
            OpKind.CrossEntropy => ShapeRules.CrossEntropy(A(), B()),
            OpKind.CrossEntropyGrad => ShapeRules.CrossEntropyGrad(A(), B(), graph[node.Inputs[2]]),
            OpKind.Accuracy => ShapeRules.Accuracy(A(), B()),
            OpKind.LayerNorm or OpKind.LayerNormScale => ShapeRules.LayerNorm(node.Op, A()),
            OpKind.LayerNormBackward => ShapeRules.LayerNormBackward(A(), B(), graph[node.Inputs[2]]),
            OpKind.Dropout => ShapeRules.Unary(node.Op, A()),
            OpKind.Gather => ShapeRules.Gather(A(), B()),
            OpKind.ScatterAdd => ShapeRules.ScatterAdd(A(), B(), node.Shape[0]),
            OpKind.OneHot => ShapeRules.OneHot(A(), node.Shape.Last),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no shape rule"),
        };
    }

    private static void Require(bool condition, string afterPass, Node node, string problem)
    {
        if (!condition)
            throw new InvalidOperationException($"IR verification after {afterPass}: {IrPrinter.Format(node)} is invalid: {problem}");
    }
}
