using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Pipeline;

/// <summary>An entry point ready to emit: what the user wrote, its inputs, and its plan.</summary>
internal sealed record CompiledEntry(LoweredEntry Lowered, EntryPlan Plan)
{
    // The structural hash, computed on first use (0: not yet). The emitters key their tables by
    // entry (each fused loop, kernel and plan of kernel calls is looked up per step), and hashing
    // an entry walks its inputs, so without the cache those lookups were a tenth of an edit's
    // emission time (issue 21).
    private int _hash;

    /// <summary>A copy for <c>with</c>: its members may differ, so the cached hash is not copied.</summary>
    private CompiledEntry(CompiledEntry original)
    {
        Lowered = original.Lowered;
        Plan = original.Plan;
    }

    public string MethodName => Lowered.MethodName;

    public IReadOnlyList<EntryInput> Inputs => Lowered.Inputs;

    public Graph Graph => Plan.Graph;

    /// <summary>The first float input; the batch size is read from its length.</summary>
    public EntryInput BatchInput => Inputs.FirstOrDefault(i => i.Kind == ValueKind.Tensor) ?? Inputs.First(i => i.Kind == ValueKind.Tokens);

    /// <summary>
    /// What a forward pass returns, in order: one output named "output", or one per element of the
    /// tuple it returns, named as the tuple names them (each a span of the compiled Predict).
    /// </summary>
    public IReadOnlyList<(string Name, Node Node)> Outputs =>
        Graph.OutputsOf(OutputRole.Output).Select(o => (o.Name, Graph[o.Node])).ToList();

    /// <summary>The node a forward pass returns, or its first output: the one the batch Predict (the Trainer's) fills.</summary>
    public Node Output => Outputs[0].Node;

    /// <summary>Whether the forward pass returns a tuple: Predict then takes one span per output, named after it.</summary>
    public bool HasSeveralOutputs => Outputs.Count > 1;

    /// <summary>The names this entry logs with <c>Log</c>, in the order it logs them.</summary>
    public IEnumerable<string> MetricNames => Graph.OutputsOf(OutputRole.Metric).Select(o => o.Name);

    /// <summary>
    /// The number of classes a label or token input indexes: the length of the logits it meets, or
    /// the rows of the embedding it reads (the smallest, when it does several).
    /// </summary>
    public int LabelClasses(string label)
    {
        Node? node = Graph.Nodes.FirstOrDefault(n => n.Op == OpKind.LabelInput && n.Name == label);
        if (node is null) return int.MaxValue;
        int classes = int.MaxValue;
        foreach (Node user in Graph.Nodes.Where(n => n.Inputs.Contains(node.Id)))
        {
            int bound = user.Op switch
            {
                OpKind.OneHot => user.Shape.Last,
                OpKind.CrossEntropy or OpKind.CrossEntropyGrad or OpKind.Accuracy => Graph[user.Inputs[0]].Shape.Last,
                OpKind.Gather => Graph[user.Inputs[0]].Shape[0],
                OpKind.ScatterAdd => user.Shape[0],
                _ => int.MaxValue,
            };
            classes = System.Math.Min(classes, bound);
        }
        return classes;
    }

    /// <summary>
    /// Equal members, whatever either side's cached hash: a record's own <c>Equals</c> would compare
    /// <see cref="_hash"/> too, so an entry already hashed would differ from its unhashed equal (and
    /// an incremental step's output would read as Modified for nothing).
    /// </summary>
    public bool Equals(CompiledEntry? other) =>
        ReferenceEquals(this, other)
        || (other is not null && (_hash == 0 || other._hash == 0 || _hash == other._hash)
            && EqualityComparer<LoweredEntry>.Default.Equals(Lowered, other.Lowered)
            && EqualityComparer<EntryPlan>.Default.Equals(Plan, other.Plan));

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            unchecked
            {
                int hash = EqualityComparer<LoweredEntry>.Default.GetHashCode(Lowered) * -1521134295 + EqualityComparer<EntryPlan>.Default.GetHashCode(Plan);
                _hash = hash == 0 ? 1 : hash;
            }
        }
        return _hash;
    }
}

/// <summary>A model after every compiler pass: what the emitters write out.</summary>
/// <param name="TrainInParts">
/// The CPU's training step that updates each parameter as soon as its gradient is final
/// (<see cref="BufferPlanner.PlanInParts"/>); null without an optimizer or where it cannot.
/// </param>
/// <param name="Slots">The scratch arrays of every entry, the CPU's <see cref="TrainInParts"/> included.</param>
/// <param name="DeviceSlots">The scratch arrays of <see cref="Entries"/> alone (the first of <see cref="Slots"/>): what a device program allocates.</param>
internal sealed record CompiledModel(
    ModelSpec Spec,
    LoweredModel Lowered,
    ParameterLayout Parameters,
    CompiledEntry Forward,
    CompiledEntry? Train,
    CompiledEntry? Validation,
    CompiledEntry? TrainInParts,
    IReadOnlyList<Slot> Slots,
    IReadOnlyList<Slot> DeviceSlots)
{
    /// <summary>The entry points every backend emits.</summary>
    public IEnumerable<CompiledEntry> Entries => new[] { Forward, Train, Validation }.Where(e => e is not null)!;

    /// <summary>The entry points of the CPU program: <see cref="Entries"/> and <see cref="TrainInParts"/>.</summary>
    public IEnumerable<CompiledEntry> CpuEntries => TrainInParts is null ? Entries : Entries.Append(TrainInParts);

    /// <summary>Every logged metric, training first, in the order the user logs them.</summary>
    public IReadOnlyList<string> MetricNames =>
        Entries.SelectMany(e => e.MetricNames).Distinct().ToList();

    /// <summary>Each input array the program keeps, with the largest size any entry needs.</summary>
    public IReadOnlyList<EntryInput> InputArrays =>
        Entries.SelectMany(e => e.Inputs)
            .GroupBy(i => i.Name)
            .Select(g => g.OrderByDescending(i => i.Shape.Size).First())
            .ToList();
}
