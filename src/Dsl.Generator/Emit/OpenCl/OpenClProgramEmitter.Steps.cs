using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.OpenCl.Library;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.OpenCl;

// The steps of an entry point, as the CPU program has them (same order, same comments, same
// #line mapping), each one kernel launch: a fused kernel, or a library kernel with the arguments
// of the CPU program's call. Every value is a (buffer, offset) pair.
internal static partial class OpenClProgramEmitter
{
    private static void WriteSteps(SourceWriter w, CompiledEntry entry, ProgramKernels kernels)
    {
        Graph graph = entry.Graph;
        StepComments.WriteSteps(w, entry, step =>
        {
            switch (step)
            {
                case ElementwiseStep e:
                    foreach (int id in e.Chain) w.Line("// " + StepComments.Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[e.Root], FusedLaunch(entry, e, kernels.Fused.For(entry, e)));
                    break;
                case CallStep c:
                    w.Line("// " + StepComments.Describe(graph[c.Node]));
                    StepComments.WriteMapped(w, graph[c.Node], Calls(entry, c, kernels));
                    break;
                case CopyStep c:
                    w.Line($"// gradient of {c.Parameter} = %{c.Node}");
                    w.Line(CopyToGradients(entry, c));
                    break;
            }
        });
    }

    /// <summary><c>RunForwardFused0(batch, _slot0, 0, _parameters, 160, _slot1, 0);</c></summary>
    private static string FusedLaunch(CompiledEntry entry, ElementwiseStep step, FusedKernelTable.Kernel kernel)
    {
        FusedOperands operands = FusedOperands.Of(entry, step);
        var arguments = new System.Collections.Generic.List<string> { entry.Graph[step.Root].Batched ? "batch" : "1" };
        foreach (int id in operands.Arrays)
            arguments.Add(Argument(entry, id));
        arguments.Add(Argument(entry, step.Root));
        return $"{kernel.Launcher}({string.Join(", ", arguments)});";
    }

    /// <summary>The launches of a step's planned library kernel calls (a concat's block copies on one line).</summary>
    private static string Calls(CompiledEntry entry, CallStep step, ProgramKernels kernels) =>
        string.Join(" ", kernels.Calls(entry).For(step).Select(call => Launch(entry, call)));

    /// <summary>The launch of a library kernel: its launcher, the kernel, the sizes, then each operand and the result as (buffer, offset).</summary>
    private static string Launch(CompiledEntry entry, KernelCall call)
    {
        LibraryKernel library = LibraryKernels.For(call);
        string Sizes(int count) => string.Join(", ", call.Sizes.Take(count).Select(s => s.Render("batch", Literals.Int)));
        string Operands = string.Join(", ", call.Operands.Select(id => Argument(entry, id)));
        string Out = Argument(entry, call.Node);
        switch (call.Kernel)
        {
            case KernelId.CrossEntropyBackward:
                return $"CrossEntropyGrad({library.Field}, {Sizes(2)}, {Operands}, {RowWeight(entry, call)}, {Out});";
            case KernelId.CausalMask:
                return $"CausalMask({library.Field}, {Sizes(1)}, {Out});";
            case KernelId.BatchedGemm:
                // Each operand with its strides, as the CPU's Gemm.MultiplyBatched takes them.
                string Size(int i) => call.Sizes[i].Render("batch", Literals.Int);
                return $"BatchedGemm({library.Field}, {Sizes(5)}, {Argument(entry, call.Operands[0])}, {Size(5)}, {Size(6)}, "
                    + $"{Argument(entry, call.Operands[1])}, {Size(7)}, {Size(8)}, {Out});";
            case KernelId.Gather:
                // The OpenCL launcher takes no table rows.
                return $"LabelRows({library.Field}, {Sizes(2)}, {Operands}, {Out});";
            default:
                // LayerNorm's ε (call.Epsilon) is written into the OpenCL source of its kernels.
                return $"{library.Launcher.Name}({library.Field}, {Sizes(call.Sizes.Count)}, {Operands}, {Out});";
        }
    }

    /// <summary>
    /// cross_entropy_grad's weight as (weights, offset, perRow, weight): the loss seed or a
    /// constant shared by every row (the logits' buffer stands in for the unread weights), else one per row.
    /// </summary>
    private static string RowWeight(CompiledEntry entry, KernelCall call) => call.Weight!.Kind switch
    {
        RowWeightKind.Seed => $"{Argument(entry, call.Operands[0])}, 0, _seed",
        RowWeightKind.Constant => $"{Argument(entry, call.Operands[0])}, 0, {Literals.Float(call.Weight.Value)}",
        _ => $"{Argument(entry, call.Weight.Node)}, 1, 0f",
    };

    /// <summary>A materialised value as kernel arguments: its buffer and the offset of its first element, <c>_parameters, 160</c>.</summary>
    private static string Argument(CompiledEntry entry, int id)
    {
        Storage storage = entry.Plan.Storage[id];
        return $"{storage.Field}, {Literals.Int(storage.Offset)}";
    }

    /// <summary>How many floats a value has in this batch, as an expression: <c>batch * 16</c>.</summary>
    private static string Length(Node node) => KernelSize.Of(node.Shape.Size, node.Batched).Render("batch", Literals.Int);

    /// <summary>A statement that writes a value into a host span (<paramref name="destination"/>), as the CPU program's ReadValue does.</summary>
    private static string ReadValue(CompiledEntry entry, int id, string destination, HostState host)
    {
        Node node = entry.Graph[id];
        switch (node.Op)
        {
            case OpKind.Constant:
                return $"{destination}.Fill({Literals.Float(node.Constant)});";
            case OpKind.LossSeed:
                return $"{destination}.Fill(_seed);";
        }
        Storage storage = entry.Plan.Storage[id];
        if (node.Batched || node.Shape.Size > 1)
            return $"{storage.Field}.Read({destination}.Slice(0, {Length(node)}), {Literals.Int(storage.Offset)});";
        host.Scalar = true;
        return $"{destination}.Fill(Scalar({Argument(entry, id)}));";
    }

    /// <summary>A gradient copied into its place in <c>_gradients</c>, on the device.</summary>
    private static string CopyToGradients(CompiledEntry entry, CopyStep copy)
    {
        Node node = entry.Graph[copy.Node];
        int size = node.Shape.Size;
        string destination = $"{Literals.Int(copy.Destination.Offset)}, {Literals.Int(size)}";
        switch (node.Op)
        {
            case OpKind.Constant:
                return $"_gradients.Fill({Literals.Float(node.Constant)}, {destination});";
            case OpKind.LossSeed:
                return $"_gradients.Fill(_seed, {destination});";
        }
        Storage storage = entry.Plan.Storage[copy.Node];
        return $"{storage.Field}.CopyTo(_gradients, {Literals.Int(storage.Offset)}, {destination});";
    }

    /// <summary>The batch mean of a per-example scalar, as an expression; device values are read back first.</summary>
    private static string MeanOf(CompiledEntry entry, int id, HostState host)
    {
        Node node = entry.Graph[id];
        switch (node.Op)
        {
            case OpKind.Constant:
                return Literals.Float(node.Constant);
            case OpKind.LossSeed:
                return "_seed";
        }
        if (node.Batched)
        {
            host.Mean = true;
            return $"Mean({Argument(entry, id)}, batch)";
        }
        host.Scalar = true;
        return $"Scalar({Argument(entry, id)})";
    }
}
