using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;

namespace Dsl.Generator.Fusion;

/// <summary>
/// Decides where every materialised value lives. Scratch arrays (slots) are reused once the
/// values in them are dead, and are shared by all entry points of a program, which never run at
/// the same time. Parameter gradients are computed straight into the flat gradient buffer, or,
/// for a training step that updates each parameter as soon as its gradient is final
/// (<see cref="PlanInParts"/>), into slots like any other value.
/// </summary>
internal sealed class BufferPlanner
{
    private readonly List<Slot> _slots = new();

    /// <summary>Every scratch array the program needs, in creation order.</summary>
    public IReadOnlyList<Slot> Slots => _slots;

    public EntryPlan Plan(Graph graph, ParameterLayout parameters)
    {
        List<PlanStep> steps = ElementwiseFusion.Schedule(graph).ToList();
        Dictionary<int, Storage> storage = LeafStorage(graph, parameters);

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

        AssignSlots(graph, steps, storage, gradientsLiveToEnd: true);
        return new EntryPlan(graph, steps, storage);
    }

    /// <summary>
    /// The training step planned to update each parameter in place of keeping its gradient: an
    /// <see cref="UpdateStep"/> right after the gradient is computed, the loss is known and the
    /// last step that reads the parameter (the backward pass of an earlier layer still needs its
    /// old weights) has run. The gradient then dies there, and its slot holds the next one.
    /// Null when some parameter has no gradient of its own to update it from (one the loss does
    /// not reach, or a gradient that is a leaf or another output): such a model keeps the flat path.
    /// </summary>
    public EntryPlan? PlanInParts(Graph graph, ParameterLayout parameters)
    {
        var gradients = graph.OutputsOf(OutputRole.Gradient).ToList();
        if (parameters.Slots.Count == 0
            || gradients.Select(g => g.Name).Distinct().Count() != parameters.Slots.Count
            || parameters.Slots.Any(p => !gradients.Any(g => g.Name == p.Name))
            || gradients.Any(g => OpGroups.IsLeaf(graph[g.Node].Op) || graph.Outputs.Count(o => o.Node == g.Node) != 1))
            return null;

        List<PlanStep> schedule = ElementwiseFusion.Schedule(graph).ToList();
        Dictionary<int, Storage> storage = LeafStorage(graph, parameters);

        int[] defined = Enumerable.Repeat(-1, graph.Nodes.Count).ToArray();
        int[] lastRead = Enumerable.Repeat(-1, graph.Nodes.Count).ToArray();
        for (int index = 0; index < schedule.Count; index++)
        {
            if (DefinedBy(schedule[index]) is int node) defined[node] = index;
            foreach (int read in Reads(graph, schedule[index])) lastRead[read] = index;
        }

        if (gradients.Any(g => defined[g.Node] < 0))
            return null;

        // The loss is checked before the first update, so that a step whose loss is not finite
        // leaves the parameters as they were, as the flat path does.
        int loss = graph.OutputsOf(OutputRole.Loss).Single().Node;
        var updates = new List<(int After, UpdateStep Step)>();
        foreach (GraphOutput gradient in gradients)
        {
            ParameterSlot parameter = parameters[gradient.Name];
            int reads = graph.Nodes.Where(n => n.Op == OpKind.Parameter && n.Name == parameter.Name)
                .Select(n => lastRead[n.Id]).DefaultIfEmpty(-1).Max();
            int after = Math.Max(Math.Max(defined[gradient.Node], defined[loss]), reads);
            updates.Add((after, new UpdateStep(gradient.Node, parameter.Name, parameter.Offset, parameter.Length)));
        }

        var steps = new List<PlanStep>();
        for (int index = 0; index < schedule.Count; index++)
        {
            steps.Add(schedule[index]);
            foreach (UpdateStep update in updates.Where(u => u.After == index).Select(u => u.Step))
                steps.Add(update);
        }

        AssignSlots(graph, steps, storage, gradientsLiveToEnd: false);
        return new EntryPlan(graph, steps, storage);
    }

    /// <summary>Where the inputs and parameters live: their own arrays, never slots.</summary>
    private static Dictionary<int, Storage> LeafStorage(Graph graph, ParameterLayout parameters)
    {
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
        return storage;
    }

    /// <summary>The array field an entry input is copied into: <c>x</c> becomes <c>_x</c>.</summary>
    public static string InputField(string name) => "_" + name;

    private void AssignSlots(Graph graph, List<PlanStep> steps, Dictionary<int, Storage> storage, bool gradientsLiveToEnd)
    {
        int[] lastUse = LastUses(graph, steps, gradientsLiveToEnd);
        var busy = new List<(int Node, Slot Slot)>();
        for (int index = 0; index < steps.Count; index++)
        {
            busy.RemoveAll(b => lastUse[b.Node] < index);
            if (DefinedBy(steps[index]) is not int node || storage.ContainsKey(node))
                continue;
            Slot slot = InPlace(graph, steps[index], node, index, lastUse, busy) ?? Acquire(graph[node], busy.Select(b => b.Slot));
            busy.Add((node, slot));
            storage[node] = new Storage(StorageKind.Slot, slot.Field, 0);
        }
    }

    /// <summary>
    /// The slot of an operand that this fused loop reads for the last time, element for element
    /// at the index it writes (the same shape and batching as the root): each element is read
    /// before it is overwritten, so the result can take the operand's place. Null when none.
    /// </summary>
    private static Slot? InPlace(Graph graph, PlanStep step, int node, int index, int[] lastUse, List<(int Node, Slot Slot)> busy)
    {
        if (step is not ElementwiseStep e) return null;
        Node root = graph[node];
        var reads = new HashSet<int>(Reads(graph, e));
        int at = busy.FindIndex(b => lastUse[b.Node] == index && reads.Contains(b.Node)
            && graph[b.Node].Shape == root.Shape && graph[b.Node].Batched == root.Batched);
        if (at < 0) return null;
        Slot slot = busy[at].Slot;
        busy.RemoveAt(at);
        return slot;
    }

    /// <summary>
    /// The smallest free slot that fits, unless it is over four times the value's size (a small
    /// value parked in a large slot keeps it from the large values after it), else a new one.
    /// </summary>
    private Slot Acquire(Node node, IEnumerable<Slot> busy)
    {
        var taken = new HashSet<Slot>(busy);
        int size = node.Shape.Size;
        Slot? free = _slots
            .Where(s => !taken.Contains(s) && s.Batched == node.Batched && s.PerExample >= size)
            .OrderBy(s => s.PerExample)
            .FirstOrDefault();
        if (free is not null && free.PerExample <= 4L * size) return free;
        var slot = new Slot("_slot" + _slots.Count, size, node.Batched);
        _slots.Add(slot);
        return slot;
    }

    /// <summary>The node a step computes into memory, if any.</summary>
    private static int? DefinedBy(PlanStep step) => step switch
    {
        ElementwiseStep e => e.Root,
        CallStep c => c.Node,
        _ => null,
    };

    /// <summary>The nodes a step reads from memory.</summary>
    private static IEnumerable<int> Reads(Graph graph, PlanStep step) => step switch
    {
        ElementwiseStep e => e.Chain.SelectMany(id => graph[id].Inputs).Where(i => !e.Chain.Contains(i)),
        CallStep c => graph[c.Node].Inputs,
        CopyStep c => new[] { c.Node },
        UpdateStep u => new[] { u.Node },
        _ => Enumerable.Empty<int>(),
    };

    /// <summary>
    /// The index of the last step that reads each node; outputs live to the end, except gradients
    /// that an <see cref="UpdateStep"/> consumes (<paramref name="gradientsLiveToEnd"/> false).
    /// </summary>
    private static int[] LastUses(Graph graph, List<PlanStep> steps, bool gradientsLiveToEnd)
    {
        var last = new int[graph.Nodes.Count];
        for (int index = 0; index < steps.Count; index++)
        {
            foreach (int read in Reads(graph, steps[index]))
                last[read] = index;
        }
        foreach (GraphOutput output in graph.Outputs)
        {
            if (gradientsLiveToEnd || output.Role != OutputRole.Gradient)
                last[output.Node] = steps.Count;
        }
        return last;
    }
}
