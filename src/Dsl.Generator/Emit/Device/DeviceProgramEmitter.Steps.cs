using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.OpenCl;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.Device;

// The steps of an entry point, as the CPU program has them (same order, same comments, same
// #line mapping): each planned kernel call is one call of the device's DeviceKernels, with its
// sizes and operands in the runtime method's order; each fused element-wise step one launch of
// the program's FusedKernels. Every value is a slice of a device buffer.
internal static partial class DeviceProgramEmitter
{
    private static void WriteSteps(SourceWriter w, CompiledEntry entry, Program program)
    {
        Graph graph = entry.Graph;
        StepComments.WriteSteps(w, entry, step =>
        {
            switch (step)
            {
                case ElementwiseStep e:
                    foreach (int id in e.Chain) w.Line("// " + StepComments.Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[e.Root], FusedLaunch(entry, e, program.Fused.For(entry, e)));
                    break;
                case CallStep c:
                    w.Line("// " + StepComments.Describe(graph[c.Node]));
                    StepComments.WriteMapped(w, graph[c.Node], string.Join(" ", program.Calls[entry].For(c).Select(call => Call(entry, call))));
                    break;
                case CopyStep c:
                    w.Line($"// gradient of {c.Parameter} = %{c.Node}");
                    w.Line(CopyToGradients(entry, c));
                    break;
            }
        });
    }

    /// <summary><c>_fused.Launch(0, batch * 16, Scalars, _slot0, _parameters.Slice(160), _slot0);</c>: the operands in the kernel's order, the result last.</summary>
    private static string FusedLaunch(CompiledEntry entry, ElementwiseStep step, FusedKernelTable.Kernel kernel)
    {
        FusedOperands operands = FusedOperands.Of(entry, step);
        var arguments = new List<string> { Literals.Int(kernel.Index), Length(entry.Graph[step.Root]), "Scalars" };
        arguments.AddRange(operands.Arrays.Select(id => Slice(entry, id)));
        arguments.Add(Slice(entry, step.Root));
        return $"_fused.Launch({string.Join(", ", arguments)}); // {kernel.Name}";
    }

    /// <summary>
    /// One planned call as a call of the runtime's kernel library: <c>_kernels.Gemm(false, true, batch, 16, 10, _x, _parameters, _slot0);</c>.
    /// The method is the kernel id; its arguments are the transposes (GEMMs), the sizes, ε (LayerNorm),
    /// the operands, the row weight (cross-entropy's backward), then the result.
    /// </summary>
    private static string Call(CompiledEntry entry, KernelCall call)
    {
        if (call.Epilogue is not null)
            throw new System.InvalidOperationException($"A device call of {call.Kernel} carries a GEMM epilogue, which no device library fuses (BackendCapabilities.OpenCl).");
        string Size(int i) => call.Sizes[i].Render();
        var arguments = new List<string>();
        if (call.Kernel is KernelId.Gemm or KernelId.BatchedGemm)
            arguments.Add((call.TransposeA ? "true" : "false") + ", " + (call.TransposeB ? "true" : "false"));
        if (call.Kernel == KernelId.BatchedGemm)
        {
            // Each operand with its batch stride and stride, as DeviceKernels.BatchedGemm takes them.
            arguments.AddRange(Enumerable.Range(0, 5).Select(Size));
            arguments.Add(Slice(entry, call.Operands[0]));
            arguments.Add(Size(5));
            arguments.Add(Size(6));
            arguments.Add(Slice(entry, call.Operands[1]));
            arguments.Add(Size(7));
            arguments.Add(Size(8));
        }
        else
        {
            arguments.AddRange(Enumerable.Range(0, call.Sizes.Count).Select(Size));
            if (call.Epsilon is { } epsilon)
                arguments.Add(Literals.Float(epsilon));
            if (call.Kernel == KernelId.BatchCountScale)
                arguments.Add(Literals.String(entry.Graph[call.Node].Name!)); // the BatchNorm layer its error names
            arguments.AddRange(call.Operands.Select(id => Slice(entry, id)));
        }
        if (call.Weight is { } weight)
            arguments.Add(weight.Kind switch
            {
                RowWeightKind.Seed => "_seed",
                RowWeightKind.Constant => Literals.Float(weight.Value),
                _ => Slice(entry, weight.Node),
            });
        arguments.Add(Slice(entry, call.Node));
        return $"_kernels.{call.Kernel}({string.Join(", ", arguments)});";
    }

    /// <summary>A materialised value as a kernel operand: its buffer from the offset of its first element, <c>_parameters.Slice(160)</c>.</summary>
    private static string Slice(CompiledEntry entry, int id) => Slice(entry.Plan.Storage[id]);

    private static string Slice(Storage storage) =>
        storage.Offset == 0 ? storage.Field : $"{storage.Field}.Slice({Literals.Int(storage.Offset)})";

    /// <summary>How many floats a value has in this batch, as an expression: <c>batch * 16</c>.</summary>
    private static string Length(Node node) => KernelSize.Of(node.Shape.Size, node.Batched).Render();

    /// <summary>The statements that write a value into a host span (<paramref name="destination"/>), as the CPU program's ReadValue does.</summary>
    private static IEnumerable<string> ReadValue(CompiledEntry entry, int id, string destination)
    {
        Node node = entry.Graph[id];
        switch (node.Op)
        {
            case OpKind.Constant:
                return [$"{destination}.Fill({Literals.Float(node.Constant)});"];
            case OpKind.LossSeed:
                return [$"{destination}.Fill(_seed);"];
        }
        Storage storage = entry.Plan.Storage[id];
        if (node.Batched || node.Shape.Size > 1)
            return [$"{storage.Field}.Read({destination}.Slice(0, {Length(node)}), {Literals.Int(storage.Offset)});"];
        return
        [
            $"{storage.Field}.Read(_hostScalars.AsSpan(0, 1), {Literals.Int(storage.Offset)});",
            $"{destination}.Fill(_hostScalars[0]);",
        ];
    }

    /// <summary>A gradient copied into its place in <c>_gradients</c>, on the device.</summary>
    private static string CopyToGradients(CompiledEntry entry, CopyStep copy)
    {
        Node node = entry.Graph[copy.Node];
        string size = Literals.Int(node.Shape.Size);
        string destination = $"_gradients.Slice({Literals.Int(copy.Destination.Offset)})";
        switch (node.Op)
        {
            case OpKind.Constant:
                return $"_kernels.Fill({size}, {Literals.Float(node.Constant)}, {destination});";
            case OpKind.LossSeed:
                return $"_kernels.Fill({size}, _seed, {destination});";
        }
        return $"_kernels.Copy({size}, {Slice(entry, copy.Node)}, {destination});";
    }
}
