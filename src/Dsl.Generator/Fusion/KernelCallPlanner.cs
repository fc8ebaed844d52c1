using System;
using System.Collections.Generic;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Fusion;

/// <summary>
/// Turns each <see cref="CallStep"/> of an entry point into the library kernel calls that compute
/// it, once for every backend. Which kernel, the row counts, batch, heads and matmul and movement
/// layouts are each op's kernel rule in the op table (<see cref="OpDefinition.Kernel"/>, built
/// from <see cref="KernelRules"/>); the plan adds, where the backend fuses them, the GEMM
/// epilogues. The emitters only render the calls.
/// </summary>
internal static class KernelCallPlanner
{
    /// <summary>nn.LayerNorm's ε (Dsl.LayerNormAttribute.Epsilon, which the eager layers use): the one the generated programs add to the variance.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>The calls of an entry's steps on a backend with <paramref name="backend"/>'s capabilities.</summary>
    public static KernelCallPlan Plan(EntryPlan entry, BackendCapabilities backend)
    {
        IReadOnlyDictionary<CallStep, ElementwiseStep> epilogues = backend.FusesGemmEpilogues
            ? GemmEpilogues.Of(entry)
            : new Dictionary<CallStep, ElementwiseStep>();
        var calls = new List<KernelCall>(entry.Steps.Count);
        foreach (PlanStep planStep in entry.Steps)
        {
            if (planStep is not CallStep step)
                continue;
            epilogues.TryGetValue(step, out ElementwiseStep? epilogue);
            foreach (KernelCall call in CallsOf(entry.Graph, entry.Graph[step.Node]))
                calls.Add(epilogue is null ? call : call with { Epilogue = epilogue });
        }
        return new KernelCallPlan(calls);
    }

    /// <summary>The calls that compute <paramref name="node"/>: its op's kernel rule (<see cref="OpDefinition.Kernel"/>).</summary>
    public static IEnumerable<KernelCall> CallsOf(Graph g, Node node) =>
        OpTable.Of(node.Op).Kernel is KernelRule rule
            ? rule(g, node)
            : throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no library kernel computes this op");
}
