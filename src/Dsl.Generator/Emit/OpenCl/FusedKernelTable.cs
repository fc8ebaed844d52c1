using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Ilgpu;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// The fused element-wise kernels of a device program: one kernel per <see cref="ElementwiseStep"/>,
/// over the same chain the CPU loop computes, written once in every <see cref="FusedKernelDialect"/>
/// (OpenCL C, ILGPU's C#). Arrays and offsets are arguments, so steps whose code is the same (the
/// bias add of Forward, TrainingStep and ValidationStep) share one kernel, named after the first
/// step that has it: <c>ForwardFused0</c>. Duplicates are found from each step's
/// <see cref="FusedStepKey"/>, so only the unique kernels are written.
/// </summary>
internal sealed class FusedKernelTable
{
    // Per entry point (three at most, found by identity), the kernel and operands of each fused
    // step by step index; the sharers by kernel index. No lookup hashes an entry, a step or a
    // kernel: records whose hashes walk their graphs, chains and source texts (issue 21).
    private readonly List<(CompiledEntry Entry, Dictionary<int, (Kernel Kernel, FusedOperands Operands)> Steps)> _entries = new();
    private readonly List<List<(CompiledEntry Entry, ElementwiseStep Step)>> _sharers = new();

    /// <summary>A kernel, as first met: its name, its index in the program's table, the step it was made from, its OpenCL C and its ILGPU C#.</summary>
    public sealed record Kernel(string Name, int Index, CompiledEntry Entry, ElementwiseStep Step, FusedOperands Operands, string Source, string IlgpuSource);

    public FusedKernelTable(CompiledModel model)
    {
        var byKey = new Dictionary<string, Kernel>();
        foreach (CompiledEntry entry in model.Entries)
        {
            var steps = new Dictionary<int, (Kernel, FusedOperands)>();
            _entries.Add((entry, steps));
            foreach (PlanStep planStep in entry.Plan.Steps)
            {
                if (planStep is not ElementwiseStep step)
                    continue;
                FusedOperands operands = FusedOperands.Of(entry, step);
                string key = FusedStepKey.ForKernel(entry.Graph, step, operands);
                if (!byKey.TryGetValue(key, out Kernel? kernel))
                {
                    string name = entry.MethodName + "Fused" + Literals.Int(step.Index);
                    byKey[key] = kernel = new Kernel(name, Unique.Count, entry, step, operands,
                        KernelText(entry, step, operands, name, OpenClDialect.Instance), KernelText(entry, step, operands, name, IlgpuDialect.Instance));
                    Unique.Add(kernel);
                    _sharers.Add(new List<(CompiledEntry, ElementwiseStep)>());
                }
                else
                {
                    _sharers[kernel.Index].Add((entry, step));
                }
                steps.Add(step.Index, (kernel, operands));
            }
        }
    }

    /// <summary>The kernels a program's source holds, in entry and step order.</summary>
    public List<Kernel> Unique { get; } = new();

    /// <summary>The kernel that computes a step of an entry, and what the step reads, in the order the kernel takes the arrays.</summary>
    public (Kernel Kernel, FusedOperands Operands) For(CompiledEntry entry, ElementwiseStep step)
    {
        foreach (var (candidate, steps) in _entries)
        {
            if (ReferenceEquals(candidate, entry))
                return steps[step.Index];
        }
        throw new KeyNotFoundException($"{entry.MethodName} is not an entry point of this program.");
    }

    /// <summary>The other steps that launch <paramref name="kernel"/>, for its comment.</summary>
    public IReadOnlyList<(CompiledEntry Entry, ElementwiseStep Step)> Sharers(Kernel kernel) => _sharers[kernel.Index];

    /// <summary>
    /// The kernel of one step in <paramref name="dialect"/>: one work-item per element of the root,
    /// count of them. Every kernel takes the runtime's uniform arguments (<c>Dsl.FusedKernelSources</c>):
    /// the count, each array and its offset, the result, then the loss seed and the dropout key and
    /// step. Values inside the chain live in registers; only the root and the step's stored nodes
    /// (arguments before the root) are written. Locals are renumbered in the kernel (a0, x1, r…), as in the CPU loop.
    /// </summary>
    private static string KernelText(CompiledEntry entry, ElementwiseStep step, FusedOperands operands, string name, FusedKernelDialect dialect)
    {
        Graph graph = entry.Graph;
        Node root = graph[step.Root];
        int size = root.Shape.Size;
        string sizeText = Literals.Int(size);
        var local = new LocalNames(operands.Arrays, step.Chain);

        var w = new SourceWriter();
        w.Line($"// %{root.Id} {IrPrinter.Type(root)} of {entry.MethodName}, one work-item per element:");
        foreach (int id in step.Chain)
            w.Line("//   " + StepComments.Describe(graph[id]));
        foreach (int id in operands.Arrays)
            w.Line($"// a{local[id]}: {StepComments.Describe(graph[id])}");
        foreach (int id in step.Stored)
            w.Line($"// r{local[id]}: {StepComments.Describe(graph[id])}, also read after this kernel");
        w.Lines(dialect.Signature(name, operands.Arrays.Select(id => local[id]), step.Written.Select(id => local[id])));
        w.Line("{");
        w.Indent();
        dialect.OpenElements(w);
        if (operands.PerRow.Count > 0)
            w.Line(dialect.Local("int", "row", $"gid / {sizeText}"));
        if (size > 1 && operands.Elements.Any(id => !graph[id].Batched))
            w.Line(dialect.Local("int", "i", $"gid % {sizeText}"));
        foreach (int id in operands.PerRow)
            w.Line(dialect.Local("float", $"s{local[id]}", $"a{local[id]}[o{local[id]} + row]"));
        foreach (int id in operands.FixedScalars)
            w.Line(dialect.Local("float", $"s{local[id]}", $"a{local[id]}[o{local[id]}]"));
        foreach (int id in operands.Elements)
            w.Line(dialect.Local("float", $"x{local[id]}", $"a{local[id]}[{ElementIndex(graph[id], size, id, operands, local)}]"));
        foreach (int id in step.Chain)
            w.Line(dialect.Local("float", $"x{local[id]}", dialect.Scalar(graph[id].Op, Operands(graph[id], i => Operand(graph, i, operands, local, dialect), dialect))));
        foreach (int id in step.Written)
            w.Line($"r{local[id]}[o{local[id]} + gid] = x{local[id]};");
        dialect.CloseElements(w);
        w.Unindent();
        w.Line("}");
        return w.ToString();
    }

    /// <summary>
    /// An op's operands; dropout's are x and the other arguments of <c>dsl_dropout</c> (OpenCL) or
    /// <c>IlgpuScalarMath.Dropout</c> (ILGPU): the stream position gid (example · size + element,
    /// under 2^31) as low and high words, the site, the step, the seed, and p as threshold and scale.
    /// </summary>
    private static string[] Operands(Node node, System.Func<int, string> operand, FusedKernelDialect dialect)
    {
        string[] inputs = node.Inputs.Select(operand).ToArray();
        if (node.Op != OpKind.Dropout) return inputs;
        return new[]
        {
            inputs[0], "(uint)gid", "0u", node.Name + "u", dialect.DropoutStep, dialect.DropoutKeyLow, dialect.DropoutKeyHigh,
            DropoutConstants.Threshold(node.Constant).ToString(System.Globalization.CultureInfo.InvariantCulture) + "u",
            dialect.Float(DropoutConstants.Scale(node.Constant)),
        };
    }

    /// <summary>Where an element operand is read: its own row's element, the same element for every row, or its row's one value when repeated along rows.</summary>
    private static string ElementIndex(Node operand, int size, int id, FusedOperands operands, LocalNames local) =>
        operands.Tiled.TryGetValue(id, out int last) ? $"o{local[id]} + i % {Literals.Int(last)}"
        : operands.Expanded.TryGetValue(id, out int length) ? $"o{local[id]} + {(operand.Batched ? "gid" : "i")} / {Literals.Int(length)}"
        : operand.Batched ? $"o{local[id]} + gid" : size == 1 ? $"o{local[id]}" : $"o{local[id]} + i";

    private static string Operand(Graph graph, int id, FusedOperands operands, LocalNames local, FusedKernelDialect dialect)
    {
        Node node = graph[id];
        if (node.Op == OpKind.Constant) return dialect.Float(node.Constant);
        if (node.Op == OpKind.LossSeed) return "seed";
        return (operands.IsBroadcastScalar(id) ? "s" : "x") + local[id];
    }
}
