using System.Collections.Generic;

namespace Dsl.Generator.Fusion;

/// <summary>The kernel calls of one entry point on one backend, in the order its steps run them.</summary>
internal sealed class KernelCallPlan
{
    private readonly Dictionary<int, List<KernelCall>> _byNode;
    private readonly HashSet<ElementwiseStep> _epilogues;

    public KernelCallPlan(IReadOnlyList<KernelCall> calls)
    {
        Calls = calls;
        // Built in one pass: the planner makes a plan per entry and backend on every edit (issue 21).
        _byNode = new Dictionary<int, List<KernelCall>>(calls.Count);
        _epilogues = new HashSet<ElementwiseStep>();
        foreach (KernelCall call in calls)
        {
            if (!_byNode.TryGetValue(call.Node, out List<KernelCall>? group))
                _byNode[call.Node] = group = new List<KernelCall>(1);
            group.Add(call);
            if (call.Epilogue is { } epilogue)
                _epilogues.Add(epilogue);
        }
    }

    /// <summary>Every call, in step order (a concat's block copies one after another).</summary>
    public IReadOnlyList<KernelCall> Calls { get; }

    /// <summary>The calls that compute one <see cref="CallStep"/>: one, or a block copy per part of a concat.</summary>
    public IReadOnlyList<KernelCall> For(CallStep step) => _byNode[step.Node];

    /// <summary>Whether a fused loop runs inside a GEMM call rather than as a step of its own.</summary>
    public bool IsEpilogue(ElementwiseStep step) => _epilogues.Contains(step);
}
