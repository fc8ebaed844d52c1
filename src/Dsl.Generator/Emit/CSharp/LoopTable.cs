using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Fusion;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// The fused loops of a CPU program, each rendered once: loops whose code is identical (the same
/// computation over the same arrays in two entry points) map to the first of them, which alone is
/// written and emitted, and every caller uses its name. Duplicates are found from each loop's
/// <see cref="FusedStepKey"/> before any text is written. A loop that runs as a GEMM epilogue
/// (<see cref="GemmEpilogues"/>, planned with the CPU's <see cref="BackendCapabilities"/>) is rendered in that form instead.
/// </summary>
internal sealed class LoopTable
{
    private readonly Dictionary<(CompiledEntry, ElementwiseStep), Loop> _canonical = new();
    private readonly Dictionary<Loop, string> _bodies = new();
    private readonly Dictionary<Loop, List<Loop>> _sharers = new();
    private readonly Dictionary<CompiledEntry, KernelCallPlan> _calls = new();

    /// <summary>A fused loop of one entry point, run over rows of the batch or as a GEMM's epilogue.</summary>
    public sealed record Loop(CompiledEntry Entry, ElementwiseStep Step, bool IsEpilogue);

    public LoopTable(CompiledModel model)
    {
        var byKey = new Dictionary<string, Loop>();
        foreach (CompiledEntry entry in model.CpuEntries)
        {
            KernelCallPlan calls = KernelCallPlanner.Plan(entry.Plan, BackendCapabilities.Cpu);
            _calls[entry] = calls;
            foreach (ElementwiseStep step in entry.Plan.Steps.OfType<ElementwiseStep>())
            {
                bool isEpilogue = calls.IsEpilogue(step);
                var loop = new Loop(entry, step, isEpilogue);
                FusedOperands operands = FusedOperands.Of(entry, step);
                string key = FusedStepKey.ForLoop(entry, step, operands, isEpilogue);
                if (!byKey.TryGetValue(key, out Loop? first))
                {
                    byKey[key] = first = loop;
                    _bodies[loop] = isEpilogue ? CpuProgramEmitter.EpilogueBody(entry, step, operands) : CpuProgramEmitter.KernelBody(entry, step, operands);
                    Unique.Add(loop);
                }
                _canonical[(entry, step)] = first;
                if (first != loop)
                {
                    if (!_sharers.TryGetValue(first, out List<Loop>? sharers))
                        _sharers[first] = sharers = new List<Loop>();
                    sharers.Add(loop);
                }
            }
        }
    }

    /// <summary>The loops that are emitted, in entry and step order.</summary>
    public List<Loop> Unique { get; } = new();

    /// <summary>The method that runs a loop, named after the first entry point that has it: <c>ForwardLoop0</c>, <c>TrainingStepEpilogue3</c>.</summary>
    public string Name(CompiledEntry entry, ElementwiseStep step)
    {
        Loop first = _canonical[(entry, step)];
        return first.Entry.MethodName + (first.IsEpilogue ? "Epilogue" : "Loop") + first.Step.Index;
    }

    /// <summary>The kernel calls of an entry point on the CPU, GEMM epilogues included.</summary>
    public KernelCallPlan Calls(CompiledEntry entry) => _calls[entry];

    /// <summary>The delegate field that hands a loop to CpuParallel: <c>_forwardLoop0</c>.</summary>
    public string Field(CompiledEntry entry, ElementwiseStep step)
    {
        string name = Name(entry, step);
        return "_" + char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    public string Body(Loop loop) => _bodies[loop];

    /// <summary>The other loops that run <paramref name="loop"/>'s code.</summary>
    public IEnumerable<Loop> Sharers(Loop loop) =>
        _sharers.TryGetValue(loop, out List<Loop>? sharers) ? sharers : Enumerable.Empty<Loop>();
}
