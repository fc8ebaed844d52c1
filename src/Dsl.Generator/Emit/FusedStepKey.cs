using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit;

/// <summary>
/// What a fused step's code is made of, as a short string, without writing the code: the root's
/// size, each array operand's role and indexing, the values stored besides the root, each op of the
/// chain over operands in the local numbering (<see cref="LocalNames"/>), the dropout sites, and for
/// the CPU where each array lives.
/// Two steps with equal keys render to the same code, comments aside, so the tables of fused loops
/// and kernels find their duplicates from keys and write each unique step once: writing every step
/// of every entry point to compare texts was most of an edit's time (issue 21).
/// </summary>
internal static class FusedStepKey
{
    /// <summary>The key of a device kernel: arrays are arguments, so where they live does not matter.</summary>
    public static string ForKernel(Graph graph, ElementwiseStep step, FusedOperands operands) =>
        Build(graph, step, operands, storage: null, epilogue: false);

    /// <summary>The key of a CPU loop, which reads its arrays from fields at fixed offsets; an epilogue walks a GEMM's blocks instead of rows.</summary>
    public static string ForLoop(CompiledEntry entry, ElementwiseStep step, FusedOperands operands, bool epilogue) =>
        Build(entry.Graph, step, operands, entry.Plan.Storage, epilogue);

    private static string Build(Graph graph, ElementwiseStep step, FusedOperands operands, IReadOnlyDictionary<int, Storage>? storage, bool epilogue)
    {
        Node root = graph[step.Root];
        var key = new StringBuilder(64 + 16 * step.Chain.Count);
        int size = root.Shape.Size;
        var local = new LocalNames(operands.Arrays, step.Chain);
        if (storage is null)
        {
            // A kernel's text names the row length only to find an element's row or column.
            key.Append('K');
            if (operands.PerRow.Count > 0) key.Append("row").Append(size);
            if (size > 1 && operands.Elements.Any(id => !graph[id].Batched)) key.Append("col").Append(size);
        }
        else
        {
            key.Append(epilogue ? 'E' : 'L').Append(size);
            if (epilogue) key.Append('/').Append(root.Shape.Last);
        }
        if (operands.UsesSeed) key.Append('S');
        foreach (int id in operands.Arrays)
        {
            // How the code reads the operand, and nothing more, so that steps alike in code share it.
            Node operand = graph[id];
            if (operands.PerRow.Contains(id)) key.Append("|p");
            else if (operands.FixedScalars.Contains(id)) key.Append("|f");
            else if (operands.Tiled.TryGetValue(id, out int last)) key.Append("|t").Append(last).Append(operand.Batched ? 'b' : 'u');
            else if (operands.Expanded.TryGetValue(id, out int length)) key.Append("|e").Append(length).Append(operand.Batched ? 'b' : 'u');
            else if (operand.Batched) key.Append("|b");
            else key.Append(size == 1 ? "|1" : "|u");
            if (storage is not null) AppendStorage(key, storage[id]);
        }
        // The values written besides the root, each a store (and, on the CPU, an array) of its own.
        foreach (int id in step.Stored)
        {
            key.Append("|w").Append(local[id]);
            if (storage is not null) AppendStorage(key, storage[id]);
        }
        if (storage is not null) AppendStorage(key.Append("|r"), storage[root.Id]);
        foreach (int id in step.Chain)
        {
            Node node = graph[id];
            key.Append('|').Append((int)node.Op);
            if (node.Op == OpKind.Dropout)
                key.Append('d').Append(node.Name).Append(':').Append(node.Constant.ToString("R", CultureInfo.InvariantCulture));
            foreach (int input in node.Inputs)
            {
                Node operand = graph[input];
                key.Append(',');
                if (operand.Op == OpKind.Constant) key.Append('c').Append(Literals.Float(operand.Constant));
                else if (operand.Op == OpKind.LossSeed) key.Append('s');
                else key.Append(operands.IsBroadcastScalar(input) ? 'b' : 'x').Append(local[input]);
            }
        }
        return key.ToString();
    }

    private static void AppendStorage(StringBuilder key, Storage storage) =>
        key.Append('@').Append(storage.Field).Append('+').Append(storage.Offset);
}
