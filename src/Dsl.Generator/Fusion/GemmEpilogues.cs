using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Fusion;

/// <summary>
/// The fused loops a backend that <see cref="BackendCapabilities.FusesGemmEpilogues"/> (the CPU) runs as GEMM epilogues: a loop that consumes a layer's product
/// is computed inside <c>Gemm.Multiply</c>, on each block of the product as soon as it is final
/// and still in cache (the bias add and activation after a forward product, dropout and the
/// residual add, the activation's derivative after a backward one), instead of as a pass of its
/// own with a fork-join of its own.
/// </summary>
/// <remarks>
/// A loop qualifies when it directly follows the call of a <c>linear</c> or <c>linear_transpose</c>
/// (or a <c>convolution</c>, whose <c>Convolution.Forward</c> runs the loop on each example as soon
/// as it is final: issue 19) in the plan (or follows it after parameter updates only), reads that product, is the product's only user, computes a batched value of the
/// product's shape, and does not write into an array the product reads: the epilogue of an early
/// block runs while other blocks are still reading A and B.
/// <para>
/// Its ops must also round the same in the scalar and the vector form (<see cref="OpDefinition.RoundsAlike"/>:
/// arithmetic, ReLU, dropout, where, not exp, log, tanh, sigmoid or GELU): an epilogue cuts the product into blocks of rows
/// and columns, the loop into examples, so an element the loop computes in its vector part can
/// fall in an epilogue's scalar tail. With exact ops only, the two give the same bits, and every
/// CPU path of a model (the whole-gradient step and the step in parts) stays bit-identical.
/// Other ops (GELU's Φ) qualify when the product's rows are whole vectors (columns a multiple of
/// 8): every block then starts at a multiple of 8 (<c>Gemm.Multiply</c> hands out blocks of whole
/// micro-kernel panels, and a test holds it to that), so neither form has a scalar tail.
/// </para>
/// </remarks>
internal static class GemmEpilogues
{
    /// <summary>For each GEMM call of <paramref name="entry"/> that takes an epilogue, the loop it runs.</summary>
    public static IReadOnlyDictionary<CallStep, ElementwiseStep> Of(EntryPlan entry)
    {
        Graph graph = entry.Graph;
        int[] uses = graph.UseCounts();
        var result = new Dictionary<CallStep, ElementwiseStep>();
        IReadOnlyList<PlanStep> steps = entry.Steps;
        for (int i = 0; i + 1 < steps.Count; i++)
        {
            if (steps[i] is not CallStep call)
                continue;
            // Parameter updates placed between the product and its loop (a training step in parts)
            // then run after the loop instead; see TakesNothingFrom for what that needs.
            int next = i + 1;
            var updates = new List<UpdateStep>();
            while (next < steps.Count && steps[next] is UpdateStep update)
            {
                updates.Add(update);
                next++;
            }
            if (next == steps.Count || steps[next] is not ElementwiseStep loop)
                continue;
            Node product = graph[call.Node], root = graph[loop.Root];
            bool qualifies = product.Op is OpKind.Linear or OpKind.LinearTranspose or OpKind.Convolution
                && uses[product.Id] == 1
                && root.Batched && product.Batched && root.Shape == product.Shape
                && loop.Chain.Any(id => graph[id].Inputs.Contains(product.Id))
                && (loop.Chain.All(id => OpTable.Of(graph[id].Op).RoundsAlike) || root.Shape.Last % 8 == 0)
                && product.Inputs.All(input => loop.Written.All(written => !SameArray(entry, input, written)))
                && updates.All(update => TakesNothingFrom(entry, loop, update));
            if (qualifies)
                result[call] = loop;
        }
        return result;
    }

    /// <summary>
    /// Whether a loop can run before an update the plan puts ahead of it: it reads none of the
    /// updated parameter (it would see the old values), and its result does not take the slot of
    /// the gradient the update reads (the slot is free only once the update has run).
    /// </summary>
    private static bool TakesNothingFrom(EntryPlan entry, ElementwiseStep loop, UpdateStep update)
    {
        Graph graph = entry.Graph;
        bool readsParameter = loop.Chain.SelectMany(id => graph[id].Inputs.Append(id))
            .Any(id => graph[id].Op == OpKind.Parameter && graph[id].Name == update.Parameter);
        return !readsParameter && loop.Written.All(written => !SameArray(entry, update.Node, written));
    }

    private static bool SameArray(EntryPlan entry, int a, int b) =>
        entry.Storage.TryGetValue(a, out Storage? x) && entry.Storage.TryGetValue(b, out Storage? y) && x.Field == y.Field;
}
