using System.Collections.Generic;
using System.Linq;

namespace Dsl.Generator.Fusion;

/// <summary>The kernel calls of one entry point on one backend, in the order its steps run them.</summary>
internal sealed class KernelCallPlan
{
    private readonly Dictionary<int, IReadOnlyList<KernelCall>> _byNode;
    private readonly HashSet<ElementwiseStep> _epilogues;

    public KernelCallPlan(IReadOnlyList<KernelCall> calls)
    {
        Calls = calls;
        _byNode = calls.GroupBy(c => c.Node).ToDictionary(g => g.Key, g => (IReadOnlyList<KernelCall>)g.ToList());
        _epilogues = new HashSet<ElementwiseStep>(calls.Select(c => c.Epilogue).OfType<ElementwiseStep>());
    }

    /// <summary>Every call, in step order (a concat's block copies one after another).</summary>
    public IReadOnlyList<KernelCall> Calls { get; }

    /// <summary>The calls that compute one <see cref="CallStep"/>: one, or a block copy per part of a concat.</summary>
    public IReadOnlyList<KernelCall> For(CallStep step) => _byNode[step.Node];

    /// <summary>Whether a fused loop runs inside a GEMM call rather than as a step of its own.</summary>
    public bool IsEpilogue(ElementwiseStep step) => _epilogues.Contains(step);
}
