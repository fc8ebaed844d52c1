using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;

namespace Dsl.Generator.Fusion;

/// <summary>
/// Decides where every materialised value lives. Scratch arrays (slots) are reused once the
/// values in them are dead, and are shared by all entry points of a program, which never run at
/// the same time. Parameter gradients are computed straight into the flat gradient buffer.
/// </summary>
internal sealed class BufferPlanner
{
    private readonly List<Slot> _slots = new();

    /// <summary>Every scratch array the program needs, in creation order.</summary>
    public IReadOnlyList<Slot> Slots => _slots;

    public EntryPlan Plan(Graph graph, ParameterLayout parameters)
    {
        List<PlanStep> steps = ElementwiseFusion.Schedule(graph).ToList();
        var storage = new Dictionary<int, Storage>();

        foreach (Node node in graph.Nodes)
        {
            switch (node.Op)
            {
                case OpKind.Input: storage[node.Id] = new Storage(StorageKind.Input, InputField(node.Name!), 0); break;
                case OpKind.LabelInput: storage[node.Id] = new Storage(StorageKind.Labels, InputField(node.Name!), 0); break;
                case OpKind.Parameter: storage[node.Id] = new Storage(StorageKind.Parameters, "_parameters", parameters[node.Name!].Offset); break;
            }
        }

        // Gradients go straight to their place in the gradient buffer when the node is computed
        // by this program for that purpose alone; anything else is copied there at the end.
        foreach (GraphOutput gradient in graph.OutputsOf(OutputRole.Gradient))
        {
            var destination = new Storage(StorageKind.Gradients, "_gradients", parameters[gradient.Name].Offset);
            if (!storage.ContainsKey(gradient.Node) && !OpGroups.IsLeaf(graph[gradient.Node].Op)
                && graph.Outputs.Count(o => o.Node == gradient.Node) == 1)
                storage[gradient.Node] = destination;
            else
                steps.Add(new CopyStep(gradient.Node, destination, gradient.Name));
        }

        AssignSlots(graph, steps, storage);
        return new EntryPlan(graph, steps, storage);
    }

    /// <summary>The array field an entry input is copied into: <c>x</c> becomes <c>_x</c>.</summary>
    public static string InputField(string name) => "_" + name;

    private void AssignSlots(Graph graph, List<PlanStep> steps, Dictionary<int, Storage> storage)
    {
        int[] lastUse = LastUses(graph, steps);
        var busy = new List<(int Node, Slot Slot)>();
        for (int index = 0; index < steps.Count; index++)
        {
            busy.RemoveAll(b => lastUse[b.Node] < index);
            int? defined = steps[index] switch
            {
                ElementwiseStep e => e.Root,
                CallStep c => c.Node,
                _ => null,
            };
            if (defined is not int node || storage.ContainsKey(node))
                continue;
            Slot slot = Acquire(graph[node], busy.Select(b => b.Slot));
            busy.Add((node, slot));
            storage[node] = new Storage(StorageKind.Slot, slot.Field, 0);
        }
    }

    /// <summary>The smallest free slot that fits, or a new one.</summary>
    private Slot Acquire(Node node, IEnumerable<Slot> busy)
    {
        var taken = new HashSet<Slot>(busy);
        int size = node.Shape.Size;
        Slot? free = _slots
            .Where(s => !taken.Contains(s) && s.Batched == node.Batched && s.PerExample >= size)
            .OrderBy(s => s.PerExample)
            .FirstOrDefault();
        if (free is not null) return free;
        var slot = new Slot("_slot" + _slots.Count, size, node.Batched);
        _slots.Add(slot);
        return slot;
    }

    /// <summary>The index of the last step that reads each node; outputs live to the end.</summary>
    private static int[] LastUses(Graph graph, List<PlanStep> steps)
    {
        var last = new int[graph.Nodes.Count];
        for (int index = 0; index < steps.Count; index++)
        {
            IEnumerable<int> reads = steps[index] switch
            {
                ElementwiseStep e => e.Chain.SelectMany(id => graph[id].Inputs).Where(i => !e.Chain.Contains(i)),
                CallStep c => graph[c.Node].Inputs,
                CopyStep c => new[] { c.Node },
                _ => Enumerable.Empty<int>(),
            };
            foreach (int read in reads)
                last[read] = index;
        }
        foreach (GraphOutput output in graph.Outputs)
            last[output.Node] = steps.Count;
        return last;
    }
}
