using System.Collections.Generic;
using System.Linq;
using System.Text;
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
                    foreach (int id in e.Chain) w.Comment(StepComments.Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[e.Root], FusedLaunch(entry, e, program.Fused.For(entry, e)));
                    break;
                case CallStep c:
                    w.Comment(StepComments.Describe(graph[c.Node]));
                    IReadOnlyList<KernelCall> calls = program.Calls[entry].For(c);
                    StepComments.WriteMapped(w, graph[c.Node], calls.Count == 1 ? Call(entry, calls[0]) : string.Join(" ", calls.Select(call => Call(entry, call))));
                    break;
                case CopyStep c:
                    w.Line($"// gradient of {c.Parameter} = %{c.Node}");
                    w.Line(CopyToGradients(entry, c));
                    break;
            }
        });
    }

    /// <summary><c>_fused.Launch(0, batch * 16, Scalars, _slot0, _parameters.Slice(160), _slot0);</c>: the operands in the kernel's order, then the stored values, the result last.</summary>
    private static string FusedLaunch(CompiledEntry entry, ElementwiseStep step, (FusedKernelTable.Kernel Kernel, FusedOperands Operands) fused)
    {
        FusedKernelTable.Kernel kernel = fused.Kernel;
        var text = new StringBuilder("_fused.Launch(").Append(Literals.Int(kernel.Index)).Append(", ").Append(Length(entry.Graph[step.Root])).Append(", Scalars");
        foreach (int id in fused.Operands.Arrays)
            AppendSlice(text.Append(", "), entry.Plan.Storage[id]);
        foreach (int id in step.Written)
            AppendSlice(text.Append(", "), entry.Plan.Storage[id]);
        return text.Append("); // ").Append(kernel.Name).ToString();
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
        // Written into one builder: a call per step of every entry, on every edit (issue 21).
        var text = new StringBuilder("_kernels.").Append(call.Kernel.ToString()).Append('(');
        bool first = true;
        StringBuilder Next()
        {
            if (!first) text.Append(", ");
            first = false;
            return text;
        }
        void Size(int i) => Next().Append(call.Sizes[i].Render());
        void Operand(int id) => AppendSlice(Next(), entry.Plan.Storage[id]);
        if (call.Kernel is KernelId.Gemm or KernelId.BatchedGemm)
            Next().Append(call.TransposeA ? "true" : "false").Append(", ").Append(call.TransposeB ? "true" : "false");
        if (call.Kernel == KernelId.BatchedGemm)
        {
            // Each operand with its batch stride and stride, as DeviceKernels.BatchedGemm takes them.
            for (int i = 0; i < 5; i++)
                Size(i);
            Operand(call.Operands[0]);
            Size(5);
            Size(6);
            Operand(call.Operands[1]);
            Size(7);
            Size(8);
        }
        else
        {
            for (int i = 0; i < call.Sizes.Count; i++)
                Size(i);
            if (call.Epsilon is { } epsilon)
                Next().Append(Literals.Float(epsilon));
            if (call.Kernel is KernelId.Attention or KernelId.AttentionBackward)
                Next().Append(CpuProgramEmitter.AttentionArguments(entry.Graph[call.Node])); // the same arguments as the CPU kernel's
            if (call.Kernel == KernelId.BatchCountScale)
                Next().Append(Literals.String(entry.Graph[call.Node].Name!)); // the BatchNorm layer its error names
            foreach (int id in call.Operands)
                Operand(id);
        }
        if (call.Weight is { } weight)
        {
            switch (weight.Kind)
            {
                case RowWeightKind.Seed: Next().Append("_seed"); break;
                case RowWeightKind.Constant: Next().Append(Literals.Float(weight.Value)); break;
                default: Operand(weight.Node); break;
            }
        }
        Operand(call.Node);
        return text.Append(");").ToString();
    }

    /// <summary>A materialised value as a kernel operand: its buffer from the offset of its first element, <c>_parameters.Slice(160)</c>.</summary>
    private static string Slice(CompiledEntry entry, int id) => Slice(entry.Plan.Storage[id]);

    private static string Slice(Storage storage) =>
        storage.Offset == 0 ? storage.Field : $"{storage.Field}.Slice({Literals.Int(storage.Offset)})";

    /// <summary><see cref="Slice(Storage)"/>, appended to a statement being written.</summary>
    private static void AppendSlice(StringBuilder text, Storage storage)
    {
        text.Append(storage.Field);
        if (storage.Offset != 0)
            text.Append(".Slice(").Append(Literals.Int(storage.Offset)).Append(')');
    }

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
