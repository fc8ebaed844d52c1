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
/// a CPU vector never straddles two rows. An <see cref="OpKind.ExpandLast"/> (a value per row
/// repeated along the row: the softmax backward's row sums) is read the same way, at
/// <c>(at + i) / last</c>, one value for a whole vector.
/// <para>
/// A materialised element-wise value whose first reader is a loop of its shape is computed in
/// that loop and stored from it (<see cref="ElementwiseStep.Stored"/>) when every other reader
/// runs later: GELU's h = x·Wᵀ + b, Φ(h) and h·Φ(h) are one pass (in the GEMM's epilogue), not
/// three that each read h again.
/// </para>
/// </remarks>
internal static class ElementwiseFusion
{
    public static IReadOnlyList<PlanStep> Schedule(Graph graph)
    {
        bool[] inlined = InlinedNodes(graph);
        Loops loops = MergeLoops(graph, inlined);
        var steps = new List<PlanStep>();
        int kernels = 0;
        foreach (Node node in graph.Nodes)
        {
            if (OpGroups.IsLeaf(node.Op) || inlined[node.Id] || loops.Owner[node.Id] != node.Id)
                continue;
            if (OpGroups.IsElementwise(node.Op))
            {
                List<int> chain = loops.Members[node.Id] ?? new List<int> { node.Id };
                chain.Sort();
                var stored = chain.Where(id => loops.Stored[id]).ToList();
                steps.Add(new ElementwiseStep(kernels++, chain) { Stored = stored });
            }
            else
            {
                steps.Add(new CallStep(node.Id));
            }
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
            else if (OpGroups.IsElementwise(node.Op) || IsInlinedExpand(graph, node))
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

    /// <summary>A repeat along the last axis that a loop can read through: rows of whole vectors, batched like its input.</summary>
    private static bool IsInlinedExpand(Graph graph, Node node) =>
        node.Op == OpKind.ExpandLast && node.Shape.Last % 8 == 0 && graph[node.Inputs[0]].Batched == node.Batched;

    /// <summary>Which loop computes each node (Owner: the root of its loop, or the node itself), each loop's nodes (null for a node alone), and the nodes a loop stores besides its root.</summary>
    private sealed record Loops(int[] Owner, List<int>?[] Members, bool[] Stored);

    /// <summary>
    /// The loops: each materialised element-wise node with the nodes inlined into it, then, from the
    /// last node back, a materialised element-wise value that is no output moves into the loop of
    /// its first reader when that loop has its shape and batching: its other readers run after
    /// that loop, so computing it there and storing it from there changes no value anyone reads.
    /// </summary>
    private static Loops MergeLoops(Graph graph, bool[] inlined)
    {
        int count = graph.Nodes.Count;
        var owner = new int[count];
        for (int id = 0; id < count; id++)
            owner[id] = id;
        // A loop's nodes once something has moved into it; a node alone has none listed.
        var members = new List<int>?[count];
        var readers = new List<int>?[count];
        foreach (Node node in graph.Nodes)
            foreach (int input in node.Inputs)
                (readers[input] ??= new List<int>()).Add(node.Id);
        // An inlined node has one reader, after it, so its loop is known when it is reached.
        for (int id = count - 1; id >= 0; id--)
        {
            if (!inlined[id]) continue;
            Move(id, owner[readers[id]![0]], owner, members);
        }

        var outputs = new HashSet<int>(graph.Outputs.Select(o => o.Node));
        var stored = new bool[count];
        for (int id = count - 1; id >= 0; id--)
        {
            Node node = graph[id];
            if (inlined[id] || owner[id] != id || !OpGroups.IsElementwise(node.Op) || outputs.Contains(id) || readers[id] is not { } reading)
                continue;
            int first = reading.Min(reader => owner[reader]);
            Node loop = graph[first];
            if (!OpGroups.IsElementwise(loop.Op) || loop.Shape != node.Shape || loop.Batched != node.Batched)
                continue;
            stored[id] = true;
            Move(id, first, owner, members);
        }
        return new Loops(owner, members, stored);
    }

    /// <summary>Moves the loop rooted at <paramref name="root"/> into the loop rooted at <paramref name="into"/>.</summary>
    private static void Move(int root, int into, int[] owner, List<int>?[] members)
    {
        List<int> target = members[into] ??= new List<int> { into };
        if (members[root] is { } moved)
        {
            foreach (int id in moved)
                owner[id] = into;
            target.AddRange(moved);
            members[root] = null;
        }
        else
        {
            owner[root] = into;
            target.Add(root);
        }
    }
}
