using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>
/// Groups element-wise work into loops. A node is computed inside its consumer's loop (never
/// written to memory) when it is element-wise, used exactly once, by an element-wise op of the
/// same shape and batchedness, and is not an output. Every other non-leaf node is materialised:
/// a fused loop rooted at it, or a call of a runtime primitive.
/// </summary>
/// <remarks>
/// A <see cref="OpKind.Tile"/> of an unbatched vector (a bias repeated over a sequence's rows)
/// is inlined the same way: the loop reads the vector at <c>i % last</c>, so the bias add after a
/// GEMM happens in the loop that consumes the GEMM's output (with the activation, dropout, ...)
/// and no tiled copy is written. Only when the rows are whole vectors (last a multiple of 8), so
/// a CPU vector never straddles two rows.
/// </remarks>
internal static class ElementwiseFusion
{
    public static IReadOnlyList<PlanStep> Schedule(Graph graph)
    {
        bool[] inlined = InlinedNodes(graph);
        var steps = new List<PlanStep>();
        int kernels = 0;
        foreach (Node node in graph.Nodes)
        {
            if (OpGroups.IsLeaf(node.Op) || inlined[node.Id])
                continue;
            if (OpGroups.IsElementwise(node.Op))
                steps.Add(new ElementwiseStep(kernels++, Chain(graph, node.Id, inlined)));
            else
                steps.Add(new CallStep(node.Id));
        }
        return steps;
    }

    /// <summary>Whether a node is computed in registers inside its only consumer's loop.</summary>
    public static bool[] InlinedNodes(Graph graph)
    {
        int[] uses = graph.UseCounts();
        var consumer = new int[graph.Nodes.Count];
        foreach (Node node in graph.Nodes)
            foreach (int input in node.Inputs)
                consumer[input] = node.Id;
        var outputs = new HashSet<int>(graph.Outputs.Select(o => o.Node));

        var inlined = new bool[graph.Nodes.Count];
        foreach (Node node in graph.Nodes)
        {
            if (uses[node.Id] != 1 || outputs.Contains(node.Id))
                continue;
            Node user = graph[consumer[node.Id]];
            if (IsInlinedTile(graph, node, uses))
                inlined[node.Id] = OpGroups.IsElementwise(user.Op) && user.Shape == node.Shape;
            else if (OpGroups.IsElementwise(node.Op))
                inlined[node.Id] = OpGroups.IsElementwise(user.Op) && user.Shape == node.Shape && user.Batched == node.Batched;
        }
        return inlined;
    }

    /// <summary>A tile that a loop can read through: of an unbatched vector read by nothing else, rows of whole vectors.</summary>
    private static bool IsInlinedTile(Graph graph, Node node, int[] uses)
    {
        if (node.Op != OpKind.Tile) return false;
        Node input = graph[node.Inputs[0]];
        return !input.Batched && !node.Batched && uses[input.Id] == 1 && node.Shape.Last % 8 == 0;
    }

    /// <summary>The nodes a fused loop computes, producers first, ending with the root.</summary>
    private static IReadOnlyList<int> Chain(Graph graph, int root, bool[] inlined)
    {
        var chain = new SortedSet<int>();
        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!chain.Add(id)) continue;
            foreach (int input in graph[id].Inputs)
                if (inlined[input]) stack.Push(input);
        }
        return chain.ToList();
    }
}
