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
            if (!OpGroups.IsElementwise(node.Op) || uses[node.Id] != 1 || outputs.Contains(node.Id))
                continue;
            Node user = graph[consumer[node.Id]];
            inlined[node.Id] = OpGroups.IsElementwise(user.Op) && user.Shape == node.Shape && user.Batched == node.Batched;
        }
        return inlined;
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
