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
    private readonly Dictionary<Slot, int> _slotIndex = new();

    /// <summary>Every scratch array the program needs, in creation order.</summary>
    public IReadOnlyList<Slot> Slots => _slots;

    public EntryPlan Plan(Graph graph, ParameterLayout parameters)
    {
        List<PlanStep> steps = ElementwiseFusion.Schedule(graph).ToList();
        Dictionary<int, Storage> storage = LeafStorage(graph, parameters);

        // Gradients go straight to their place in the gradient buffer when the node is computed
        // by this program for that purpose alone; anything else is copied there at the end.
        int[] outputsOf = OutputCounts(graph);
        foreach (GraphOutput gradient in graph.OutputsOf(OutputRole.Gradient))
        {
            var destination = new Storage(StorageKind.Gradients, "_gradients", parameters[gradient.Name].Offset);
            if (!storage.ContainsKey(gradient.Node) && !OpGroups.IsLeaf(graph[gradient.Node].Op)
                && outputsOf[gradient.Node] == 1)
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
        var gradientNames = new HashSet<string>(gradients.Select(g => g.Name));
        int[] outputsOf = OutputCounts(graph);
        // A step that updates buffers (BatchNorm's running statistics) keeps the flat path, which stores them.
        if (parameters.Slots.Count == 0
            || graph.OutputsOf(OutputRole.BufferUpdate).Any()
            || gradientNames.Count != parameters.Slots.Count
            || parameters.Slots.Any(p => !gradientNames.Contains(p.Name))
            || gradients.Any(g => OpGroups.IsLeaf(graph[g.Node].Op) || outputsOf[g.Node] != 1))
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
        var lastReadOfParameter = new Dictionary<string, int>();
        foreach (Node node in graph.Nodes)
        {
            if (node.Op == OpKind.Parameter)
                lastReadOfParameter[node.Name!] = Math.Max(lastReadOfParameter.TryGetValue(node.Name!, out int seen) ? seen : -1, lastRead[node.Id]);
        }

        // The updates that follow each step of the schedule, in the gradients' order.
        var updatesAfter = new List<UpdateStep>?[schedule.Count];
        foreach (GraphOutput gradient in gradients)
        {
            ParameterSlot parameter = parameters[gradient.Name];
            int reads = lastReadOfParameter.TryGetValue(parameter.Name, out int read) ? read : -1;
            int after = Math.Max(Math.Max(defined[gradient.Node], defined[loss]), reads);
            (updatesAfter[after] ??= new List<UpdateStep>()).Add(new UpdateStep(gradient.Node, parameter.Name, parameter.Offset, parameter.Length));
        }

        var steps = new List<PlanStep>();
        for (int index = 0; index < schedule.Count; index++)
        {
            steps.Add(schedule[index]);
            if (updatesAfter[index] is { } updates)
                steps.AddRange(updates);
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

    /// <summary>Outputs per node: a node can be several outputs (a gradient that is also logged).</summary>
    private static int[] OutputCounts(Graph graph)
    {
        var counts = new int[graph.Nodes.Count];
        foreach (GraphOutput output in graph.Outputs)
            counts[output.Node]++;
        return counts;
    }

    /// <summary>
    /// Gives every value the schedule writes to memory a slot. Each step costs time in the values
    /// it reads and the distinct slot sizes, never in the values live across it (a training step
    /// keeps every layer's activations live through the forward pass, so a scan of the live
    /// values at each step made planning quadratic in the number of layers).
    /// </summary>
    private void AssignSlots(Graph graph, List<PlanStep> steps, Dictionary<int, Storage> storage, bool gradientsLiveToEnd)
    {
        int[] lastUse = LastUses(graph, steps, gradientsLiveToEnd);
        var busy = new BusySlots(steps.Count);
        var free = new FreeSlots(_slots, _slotIndex);
        for (int index = 0; index < steps.Count; index++)
        {
            busy.ReleaseAt(index, free);
            if (steps[index] is ElementwiseStep loop)
            {
                // The values a loop stores besides its root are read after it as well: new slots, not an operand's.
                foreach (int stored in loop.Stored)
                    Assign(stored, Acquire(graph[stored], free), index, lastUse, busy, storage);
            }
            if (DefinedBy(steps[index]) is not int node || storage.ContainsKey(node))
                continue;
            Assign(node, InPlace(graph, steps[index], node, index, lastUse, busy) ?? Acquire(graph[node], free), index, lastUse, busy, storage);
        }
    }

    /// <summary>Puts a value written at step <paramref name="index"/> in <paramref name="slot"/>, live until its last reader has run: released before the first step after both.</summary>
    private static void Assign(int node, Slot slot, int index, int[] lastUse, BusySlots busy, Dictionary<int, Storage> storage)
    {
        busy.Add(node, slot, Math.Max(lastUse[node], index) + 1);
        storage[node] = new Storage(StorageKind.Slot, slot.Field, 0);
    }

    /// <summary>
    /// The slot of an operand that this fused loop reads for the last time, element for element
    /// at the index it writes (the same shape and batching as the root): each element is read
    /// before it is overwritten, so the result can take the operand's place. Of several, the one
    /// that took its slot first. Null when none.
    /// </summary>
    private static Slot? InPlace(Graph graph, PlanStep step, int node, int index, int[] lastUse, BusySlots busy)
    {
        if (step is not ElementwiseStep e) return null;
        Node root = graph[node];
        int best = -1;
        long bestOrder = long.MaxValue;
        // A value read twice is weighed twice, to the same effect (orders are strictly compared):
        // no set of the reads is made for each step (issue 21).
        foreach (int read in Reads(graph, e))
        {
            if (lastUse[read] == index && busy.OrderOf(read) is long order && order < bestOrder
                && graph[read].Shape == root.Shape && graph[read].Batched == root.Batched)
                (best, bestOrder) = (read, order);
        }
        return best < 0 ? null : busy.Take(best);
    }

    /// <summary>
    /// The smallest free slot that fits (the first made, of equal sizes), unless it is over four
    /// times the value's size (a small value parked in a large slot keeps it from the large values
    /// after it), else a new one.
    /// </summary>
    private Slot Acquire(Node node, FreeSlots free)
    {
        int size = node.Shape.Size;
        if (free.Smallest(node.Batched, size) is var (slot, order) && slot.PerExample <= 4L * size)
        {
            free.Remove(slot, order);
            return slot;
        }
        var created = new Slot("_slot" + _slots.Count, size, node.Batched);
        _slotIndex[created] = _slots.Count;
        _slots.Add(created);
        return created;
    }

    /// <summary>
    /// The slots that hold live values, each with the order it was taken in and the step before
    /// which it is released.
    /// </summary>
    private sealed class BusySlots
    {
        private readonly Dictionary<int, (long Order, Slot Slot)> _byNode = new();
        private readonly List<int>?[] _releasedAt;
        private long _taken;

        public BusySlots(int steps) => _releasedAt = new List<int>?[steps + 2];

        public void Add(int node, Slot slot, int releaseAt)
        {
            _byNode[node] = (_taken++, slot);
            (_releasedAt[releaseAt] ??= new List<int>()).Add(node);
        }

        /// <summary>When <paramref name="node"/>'s slot was taken, if it is still busy.</summary>
        public long? OrderOf(int node) => _byNode.TryGetValue(node, out var entry) ? entry.Order : null;

        /// <summary>Hands a busy slot over to the value that overwrites it.</summary>
        public Slot Take(int node)
        {
            Slot slot = _byNode[node].Slot;
            _byNode.Remove(node);
            return slot;
        }

        /// <summary>Frees the slots of the values dead before step <paramref name="index"/>.</summary>
        public void ReleaseAt(int index, FreeSlots free)
        {
            if (_releasedAt[index] is not { } nodes) return;
            foreach (int node in nodes)
            {
                if (_byNode.TryGetValue(node, out var entry))
                {
                    _byNode.Remove(node);
                    free.Add(entry.Slot);
                }
            }
        }
    }

    /// <summary>
    /// The free slots by batching and size, each size's in the order they were made. A lookup
    /// walks the distinct sizes above the one asked for, which a model has few of however many
    /// layers it stacks.
    /// </summary>
    private sealed class FreeSlots
    {
        private readonly SortedList<int, SortedSet<int>>[] _bySize = { new(), new() };
        private readonly List<Slot> _slots;
        private readonly Dictionary<Slot, int> _index;

        /// <summary>Every slot made so far is free when an entry point starts.</summary>
        public FreeSlots(List<Slot> slots, Dictionary<Slot, int> index)
        {
            _slots = slots;
            _index = index;
            foreach (Slot slot in slots)
                Add(slot);
        }

        public void Add(Slot slot)
        {
            int order = _index[slot];
            SortedList<int, SortedSet<int>> sizes = _bySize[slot.Batched ? 1 : 0];
            if (!sizes.TryGetValue(slot.PerExample, out SortedSet<int>? same))
                sizes.Add(slot.PerExample, same = new SortedSet<int>());
            same.Add(order);
        }

        public void Remove(Slot slot, int order) => _bySize[slot.Batched ? 1 : 0][slot.PerExample].Remove(order);

        /// <summary>The smallest free slot of at least <paramref name="size"/> per example, the first made of equal ones.</summary>
        public (Slot Slot, int Order)? Smallest(bool batched, int size)
        {
            SortedList<int, SortedSet<int>> sizes = _bySize[batched ? 1 : 0];
            IList<int> keys = sizes.Keys;
            int low = 0, high = keys.Count;
            while (low < high)
            {
                int mid = (low + high) / 2;
                if (keys[mid] < size) low = mid + 1;
                else high = mid;
            }
            IList<SortedSet<int>> values = sizes.Values;
            for (int at = low; at < keys.Count; at++)
            {
                if (values[at].Count > 0)
                {
                    int order = values[at].Min;
                    return (_slots[order], order);
                }
            }
            return null;
        }
    }

    /// <summary>The node a step computes into memory, if any.</summary>
    internal static int? DefinedBy(PlanStep step) => step switch
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
