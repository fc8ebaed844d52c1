using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Fusion;

/// <summary>One bucket of the gradient hook: parameters adjacent in the flat layout, called together.</summary>
/// <param name="Offset">The first float in the flat gradient.</param>
/// <param name="Length">How many floats.</param>
/// <param name="Parameters">The parameters' names, in layout order.</param>
internal sealed record PlannedBucket(int Offset, int Length, IReadOnlyList<string> Parameters);

/// <summary>
/// The buckets a program hands its gradient hook (the runtime's <c>GradientHook</c>), in the order
/// their gradients become final in the backward pass: the order of the step in parts'
/// <see cref="UpdateStep"/>s where the model has one (each is a bucket-ready point, where the hook
/// runs before the update), else the order of the steps that define the gradients.
/// </summary>
/// <remarks>
/// One parameter per bucket: in the step in parts each gradient has its own slot, reused once the
/// parameter is updated, so a bucket cannot span two of them. Merging neighbours up to a size
/// target, as PyTorch DDP's 25 MB buckets, needs the in-parts plan to keep a bucket's gradients
/// side by side first.
/// </remarks>
internal static class GradientBuckets
{
    /// <summary>The model's buckets; empty without a training step.</summary>
    public static IReadOnlyList<PlannedBucket> Plan(CompiledModel model)
    {
        if (model.Train is not { } train)
            return [];
        IEnumerable<string> order = model.TrainInParts is { } parts
            ? parts.Plan.Steps.OfType<UpdateStep>().Select(u => u.Parameter)
            : DefinitionOrder(train);
        // A parameter the order does not name (no gradient of its own: the loss does not reach it)
        // comes first: its gradient is final (zero) before the backward pass starts.
        var named = order.ToList();
        var seen = new HashSet<string>(named);
        var missing = model.Parameters.Slots.Select(s => s.Name).Where(n => !seen.Contains(n));
        return missing.Concat(named)
            .Select(name => model.Parameters[name])
            .Select(slot => new PlannedBucket(slot.Offset, slot.Length, [slot.Name]))
            .ToList();
    }

    /// <summary>The parameters in the order the whole-gradient plan's steps define their gradients.</summary>
    private static IEnumerable<string> DefinitionOrder(CompiledEntry train)
    {
        var definedAt = new Dictionary<int, int>();
        for (int index = 0; index < train.Plan.Steps.Count; index++)
        {
            if (BufferPlanner.DefinedBy(train.Plan.Steps[index]) is int node)
                definedAt[node] = index;
        }

        return train.Graph.OutputsOf(OutputRole.Gradient)
            .Select((gradient, position) => (gradient.Name, At: definedAt.TryGetValue(gradient.Node, out int at) ? at : -1, position))
            .OrderBy(g => g.At).ThenBy(g => g.position)
            .Select(g => g.Name);
    }
}
