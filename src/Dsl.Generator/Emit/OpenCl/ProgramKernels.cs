using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.OpenCl.Library;
using Dsl.Generator.Fusion;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// Every kernel one model's OpenCL program launches: the library kernels its calls need (only
/// those) and its fused element-wise kernels, and the OpenCL C source that holds them all.
/// </summary>
internal sealed class ProgramKernels
{
    private readonly Dictionary<CompiledEntry, KernelCallPlan> _calls = new();

    public ProgramKernels(CompiledModel model)
    {
        Fused = new FusedKernelTable(model);
        foreach (CompiledEntry entry in model.Entries)
            _calls[entry] = KernelCallPlanner.Plan(entry.Plan, BackendCapabilities.OpenCl);
        var used = new HashSet<LibraryKernel>(_calls.Values.SelectMany(p => p.Calls).Select(LibraryKernels.For));
        Library = LibraryKernels.All.Where(used.Contains).ToList();
        Launchers = Library.Select(k => k.Launcher).Distinct().ToList();
        UsesGemm = Library.Any(k => k.Launcher == GemmKernels.Launcher || k.Launcher == GemmKernels.BatchedLauncher);
        UsesGelu = model.Entries.Any(e => e.Plan.Steps.OfType<ElementwiseStep>()
            .Any(s => s.Chain.Any(id => OpenClOps.NeedsGelu(e.Graph[id].Op))));
        UsesDropout = model.Entries.Any(e => e.Plan.Steps.OfType<ElementwiseStep>()
            .Any(s => s.Chain.Any(id => OpenClOps.NeedsDropout(e.Graph[id].Op))));
    }

    public FusedKernelTable Fused { get; }

    /// <summary>The library kernel calls of an entry point, planned for OpenCL (no GEMM epilogues).</summary>
    public KernelCallPlan Calls(CompiledEntry entry) => _calls[entry];

    /// <summary>The library kernels the program calls, in <see cref="LibraryKernels.All"/> order.</summary>
    public IReadOnlyList<LibraryKernel> Library { get; }

    /// <summary>The host launch methods those kernels need, each once.</summary>
    public IReadOnlyList<KernelLauncher> Launchers { get; }

    /// <summary>Whether the program multiplies matrices (and so needs the GEMM tile edge).</summary>
    public bool UsesGemm { get; }

    /// <summary>Whether a fused kernel calls the GELU helpers.</summary>
    public bool UsesGelu { get; }

    /// <summary>Whether a fused kernel drops out (and so needs the Philox functions).</summary>
    public bool UsesDropout { get; }

    /// <summary>Every kernel's name and the program field that holds it, library kernels first.</summary>
    public IEnumerable<(string Name, string Field)> Fields =>
        Library.Select(k => (k.Name, k.Field)).Concat(Fused.Unique.Select(k => (k.Name, k.Field)));

    /// <summary>The program's whole OpenCL C source.</summary>
    public string Source(CompiledModel model)
    {
        var parts = new List<string>
        {
            $"// The OpenCL C 1.2 kernels of {model.Spec.Name}, written by Dsl.Generator: the library kernels its\n"
            + "// steps call, then one kernel per fused element-wise step, as the CPU program's loops. float\n"
            + "// only (no double), no OpenCL 2.0 features. Offsets into buffers are int arguments.",
        };
        if (UsesGemm) parts.Add(GemmKernels.TileDefinition);
        if (UsesGelu) parts.Add(MathFunctions.Gelu);
        if (UsesDropout) parts.Add(DropoutKernels.Functions);
        parts.AddRange(Library.Select(k => k.Source));
        foreach (FusedKernelTable.Kernel kernel in Fused.Unique)
        {
            var sharers = Fused.Sharers(kernel).Select(s => $"{s.Entry.MethodName} (%{Literals.Int(s.Step.Root)})").ToList();
            string text = kernel.Source.TrimEnd('\n');
            if (sharers.Count > 0)
            {
                int at = text.IndexOf("__kernel ", System.StringComparison.Ordinal);
                text = text.Substring(0, at) + "// The same kernel computes " + string.Join(" and ", sharers) + ".\n" + text.Substring(at);
            }
            parts.Add(text);
        }
        return string.Join("\n\n", parts.Select(p => p.TrimEnd('\n')));
    }
}
