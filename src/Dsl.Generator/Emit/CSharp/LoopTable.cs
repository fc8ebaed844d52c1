using System.Collections.Generic;
using Dsl.Generator.Fusion;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// The fused loops of a CPU program, each written once: loops whose code is identical (the same
/// computation over the same arrays in two entry points) map to the first of them, which alone is
/// emitted, and every caller uses its name. Duplicates are found from each loop's
/// <see cref="FusedStepKey"/> before any text is written, and a unique loop's body is written
/// straight into the program (rendering each body to a string of its own and re-indenting it line
/// by line was a fifth of the table's cost in an edit, issue 21). A loop that runs as a GEMM
/// epilogue (<see cref="GemmEpilogues"/>, planned with the CPU's <see cref="BackendCapabilities"/>)
/// is written in that form instead.
/// </summary>
internal sealed class LoopTable
{
    // Per entry point (four at most, found by identity), its CPU calls and the emitted loop of each
    // of its fused steps by step index: no lookup hashes an entry or a step, records whose hashes
    // walk their graphs and chains, and the emitters look up every step (issue 21).
    private readonly List<(CompiledEntry Entry, KernelCallPlan Calls, Dictionary<int, Loop> Canonical)> _entries = new();

    /// <summary>A fused loop of one entry point, run over rows of the batch or as a GEMM's epilogue, with what it reads.</summary>
    public sealed class Loop
    {
        public Loop(CompiledEntry entry, ElementwiseStep step, bool isEpilogue, FusedOperands operands)
        {
            Entry = entry;
            Step = step;
            IsEpilogue = isEpilogue;
            Operands = operands;
        }

        public CompiledEntry Entry { get; }

        public ElementwiseStep Step { get; }

        public bool IsEpilogue { get; }

        public FusedOperands Operands { get; }

        /// <summary>The other loops that run this loop's code (empty for a loop that is not emitted).</summary>
        public List<Loop> Sharers { get; } = new();
    }

    public LoopTable(CompiledModel model)
    {
        var byKey = new Dictionary<string, Loop>();
        foreach (CompiledEntry entry in model.CpuEntries)
        {
            KernelCallPlan calls = KernelCallPlanner.Plan(entry.Plan, BackendCapabilities.Cpu);
            var canonical = new Dictionary<int, Loop>();
            _entries.Add((entry, calls, canonical));
            foreach (PlanStep planStep in entry.Plan.Steps)
            {
                if (planStep is not ElementwiseStep step)
                    continue;
                bool isEpilogue = calls.IsEpilogue(step);
                FusedOperands operands = FusedOperands.Of(entry, step);
                var loop = new Loop(entry, step, isEpilogue, operands);
                string key = FusedStepKey.ForLoop(entry, step, operands, isEpilogue);
                if (!byKey.TryGetValue(key, out Loop? first))
                {
                    byKey[key] = first = loop;
                    Unique.Add(loop);
                }
                else
                {
                    first.Sharers.Add(loop);
                }
                canonical.Add(step.Index, first);
            }
        }
    }

    /// <summary>The loops that are emitted, in entry and step order.</summary>
    public List<Loop> Unique { get; } = new();

    /// <summary>The method that runs a loop, named after the first entry point that has it: <c>ForwardLoop0</c>, <c>TrainingStepEpilogue3</c>.</summary>
    public string Name(CompiledEntry entry, ElementwiseStep step)
    {
        Loop first = Of(entry).Canonical[step.Index];
        return first.Entry.MethodName + (first.IsEpilogue ? "Epilogue" : "Loop") + first.Step.Index;
    }

    /// <summary>The kernel calls of an entry point on the CPU, GEMM epilogues included.</summary>
    public KernelCallPlan Calls(CompiledEntry entry) => Of(entry).Calls;

    /// <summary>The delegate field that hands a loop to CpuParallel: <c>_forwardLoop0</c>.</summary>
    public string Field(CompiledEntry entry, ElementwiseStep step)
    {
        string name = Name(entry, step);
        return "_" + char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private (CompiledEntry Entry, KernelCallPlan Calls, Dictionary<int, Loop> Canonical) Of(CompiledEntry entry)
    {
        foreach (var loops in _entries)
        {
            if (ReferenceEquals(loops.Entry, entry))
                return loops;
        }
        throw new KeyNotFoundException($"{entry.MethodName} is not an entry point of this program.");
    }
}
