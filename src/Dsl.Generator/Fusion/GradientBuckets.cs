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
/// parameter is updated, so a bucket cannot span two of them. The runtime merges neighbours up to
/// a size cap (PyTorch DDP's 25 MB buckets, <c>GradientBucketPlan</c>) on the whole-gradient path,
/// where the flat gradient keeps them side by side; <see cref="FinalAfter"/> tells the program
/// where in that path each parameter's gradient is final.
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

    /// <summary>
    /// For the whole-gradient plan: after which step each parameter's gradient is final in the flat
    /// gradient (the last step that defines or copies it), by step index, with the indices into
    /// <see cref="Plan"/> of the parameters final after it, so the
    /// program can hand a bucket to the hook while the backward pass goes on. A gradient no step
    /// writes is absent: the runtime hands its bucket over after the backward pass.
    /// </summary>
    public static IReadOnlyDictionary<int, List<(int Bucket, string Parameter)>> FinalAfter(CompiledModel model)
    {
        var result = new Dictionary<int, List<(int Bucket, string Parameter)>>();
        if (model.Train is not { } train)
            return result;
        var bucketOf = Plan(model).Select((b, i) => (b.Parameters[0], i)).ToDictionary(x => x.Item1, x => x.i);
        var steps = train.Plan.Steps;
        foreach (GraphOutput gradient in train.Graph.OutputsOf(OutputRole.Gradient))
        {
            int last = -1;
            for (int index = 0; index < steps.Count; index++)
            {
                if (Writes(steps[index], gradient))
                    last = index;
            }
            if (last < 0 || !bucketOf.TryGetValue(gradient.Name, out int bucket))
                continue;
            if (!result.TryGetValue(last, out List<(int, string)>? buckets))
                result[last] = buckets = new List<(int, string)>();
            buckets.Add((bucket, gradient.Name));
        }

        return result;
    }

    private static bool Writes(PlanStep step, GraphOutput gradient) => step switch
    {
        CopyStep c => c.Node == gradient.Node || c.Parameter == gradient.Name,
        ElementwiseStep e => e.Root == gradient.Node || e.Chain.Contains(gradient.Node),
        _ => BufferPlanner.DefinedBy(step) == gradient.Node,
    };

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
