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
        var gradients = train.Graph.OutputsOf(OutputRole.Gradient).ToList();
        int[] lastWrite = LastWrites(train.Plan.Steps, gradients);
        for (int g = 0; g < gradients.Count; g++)
        {
            GraphOutput gradient = gradients[g];
            int last = lastWrite[g];
            if (last < 0 || !bucketOf.TryGetValue(gradient.Name, out int bucket))
                continue;
            if (!result.TryGetValue(last, out List<(int, string)>? buckets))
                result[last] = buckets = new List<(int, string)>();
            buckets.Add((bucket, gradient.Name));
        }

        return result;
    }

    /// <summary>
    /// The index of the last step that writes each gradient (defines its node, has it in its fused
    /// chain, or copies it into the flat gradient), -1 for none: one walk over the steps, each
    /// gradient found by node or by name (a walk per gradient was quadratic in the model, issue 21).
    /// </summary>
    private static int[] LastWrites(IReadOnlyList<PlanStep> steps, List<GraphOutput> gradients)
    {
        var byNode = new Dictionary<int, List<int>>();
        var byName = new Dictionary<string, List<int>>();
        for (int g = 0; g < gradients.Count; g++)
        {
            Add(byNode, gradients[g].Node, g);
            Add(byName, gradients[g].Name, g);
        }
        int[] last = new int[gradients.Count];
        for (int g = 0; g < last.Length; g++)
            last[g] = -1;
        void Written<TKey>(Dictionary<TKey, List<int>> by, TKey key, int index)
        {
            if (by.TryGetValue(key, out List<int>? written))
                foreach (int g in written)
                    last[g] = index;
        }
        for (int index = 0; index < steps.Count; index++)
        {
            switch (steps[index])
            {
                case CopyStep c:
                    Written(byNode, c.Node, index);
                    Written(byName, c.Parameter, index);
                    break;
                case ElementwiseStep e:
                    Written(byNode, e.Root, index);
                    foreach (int id in e.Chain)
                        Written(byNode, id, index);
                    break;
                case PlanStep step when BufferPlanner.DefinedBy(step) is int node:
                    Written(byNode, node, index);
                    break;
            }
        }
        return last;
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> by, TKey key, int gradient)
    {
        if (!by.TryGetValue(key, out List<int>? gradients))
            by[key] = gradients = new List<int>(1);
        gradients.Add(gradient);
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
