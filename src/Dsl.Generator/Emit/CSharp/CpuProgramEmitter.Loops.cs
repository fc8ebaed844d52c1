using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

// Fused element-wise loops. Each takes a range of rows (examples) so CpuParallel can split it
// over the cores; within a row, a Vector256 loop does 8 floats at a time and a scalar loop the
// rest. Values inside the chain live in registers; only the root and the step's stored nodes are written.
internal static partial class CpuProgramEmitter
{
    private const string V = TypeNames.Vector256;

    /// <summary>
    /// Writes a fused loop once, however many entry points run it: Forward's bias-and-ReLU loop is
    /// the same code in the training and validation steps, so they call one method.
    /// </summary>
    private static void WriteKernel(SourceWriter w, LoopTable loops, LoopTable.Loop loop)
    {
        Graph graph = loop.Entry.Graph;
        Node root = graph[loop.Step.Root];

        w.Line();
        string also = loop.Step.Stored.Count == 0 ? "" : " (and stores " + string.Join(", ", loop.Step.Stored.Select(id => "%" + Literals.Int(id))) + " for later steps)";
        w.Line(loop.IsEpilogue
            ? $"/// <summary>Computes %{root.Id} {IrPrinter.Type(root)}{also} of {loop.Entry.MethodName} for a block of the product before it, as that GEMM's epilogue.</summary>"
            : $"/// <summary>Computes %{root.Id} {IrPrinter.Type(root)}{also} of {loop.Entry.MethodName} for the rows [start, end) of the batch.</summary>");
        w.Line("/// <remarks>Fused: " + string.Join("; ", loop.Step.Chain.Select(id => System.Security.SecurityElement.Escape(IrPrinter.Format(graph[id])))) + "."
            + (loop.Sharers.Count > 0 ? " The same loop computes " + string.Join(" and ", loop.Sharers.Select(k => $"{k.Entry.MethodName} (%{k.Step.Root})")) + "." : "") + "</remarks>");
        w.Open(loop.IsEpilogue
            ? $"private void {loops.Name(loop.Entry, loop.Step)}(int rowStart, int rowEnd, int columnStart, int columnEnd)"
            : $"private void {loops.Name(loop.Entry, loop.Step)}(int start, int end)");
        if (loop.IsEpilogue)
            WriteEpilogueBody(w, loop.Entry, loop.Step, loop.Operands);
        else
            WriteKernelBody(w, loop.Entry, loop.Step, loop.Operands);
        w.Close();
    }

    /// <summary>
    /// A loop's body. Locals are numbered in the loop (a0, x1, r…) rather than by IR id, so the same
    /// computation over the same arrays reads the same in every entry point (<see cref="LocalNames"/>).
    /// </summary>
    private static void WriteKernelBody(SourceWriter w, CompiledEntry entry, ElementwiseStep step, FusedOperands operands)
    {
        int size = entry.Graph[step.Root].Shape.Size;
        WriteBody(w, entry, step, operands, new LoopShape(
            "for (int row = start; row < end; row++)", $"nuint at = (nuint)row * {Literals.Int(size)};", "row",
            "nuint i = 0;", size >= 8 ? Literals.Int(size) : null, Literals.Int(size),
            operand => Index(operand, operands)));
    }

    /// <summary>
    /// The same computation as a GEMM epilogue (<see cref="GemmEpilogues"/>): over the block of the
    /// product's rows and columns that <c>Gemm.Multiply</c> hands it, addressed as a [rows, columns]
    /// matrix. Element (row, i) is stream position row · columns + i, as in the loop.
    /// </summary>
    private static void WriteEpilogueBody(SourceWriter w, CompiledEntry entry, ElementwiseStep step, FusedOperands operands)
    {
        Node root = entry.Graph[step.Root];
        int size = root.Shape.Size, columns = root.Shape.Last;
        string example = size == columns ? "row" : $"row / {Literals.Int(size / columns)}";
        WriteBody(w, entry, step, operands, new LoopShape(
            "for (int row = rowStart; row < rowEnd; row++)", $"nuint at = (nuint)row * {Literals.Int(columns)};", example,
            "nuint i = (nuint)columnStart;", columns >= 8 ? "(nuint)columnEnd" : null, "(nuint)columnEnd",
            operand => operands.Tiled.ContainsKey(operand.Id) ? "i"
                : operands.Expanded.TryGetValue(operand.Id, out int last) ? Expanded(operand.Batched ? "at + i" : size == columns ? "i" : $"(at + i) % {Literals.Int(size)}", last)
                : operand.Batched ? "at + i"
                : size == columns ? "i" : $"(at + i) % {Literals.Int(size)}"));
    }

    /// <summary>How a body walks its elements: the row loop, where a row starts, which example it is, the column range and how an operand is indexed.</summary>
    private sealed record LoopShape(
        string RowLoop, string RowStart, string Example, string FirstColumn, string? VectorLimit, string Limit, System.Func<Node, string> Index);

    private static void WriteBody(SourceWriter w, CompiledEntry entry, ElementwiseStep step, FusedOperands operands, LoopShape shape)
    {
        Graph graph = entry.Graph;
        IReadOnlyList<int> arrays = operands.Arrays, perRow = operands.PerRow, fixedScalars = operands.FixedScalars, elements = operands.Elements;
        var local = new LocalNames(arrays, step.Chain);

        foreach (int id in arrays)
            w.Line($"ref float a{local[id]} = ref {Array(entry, id)}; // {Describe(graph[id])}");
        foreach (int id in step.Written)
            w.Line($"ref float r{local[id]} = ref {Array(entry, id)};");
        if (operands.UsesSeed)
            w.Line("float seed = _seed;");
        foreach (int id in fixedScalars)
            w.Line($"float s{local[id]} = a{local[id]};");
        // Dropout is fused: each site's mask is drawn here, element by element, not in a pass of its own.
        foreach (int id in step.Chain.Where(id => graph[id].Op == OpKind.Dropout))
            w.Line($"var d{local[id]} = new {TypeNames.DropoutMask}(DropoutKey, {graph[id].Name}u, DropoutStep, {Literals.Float(graph[id].Constant)});");

        w.Open(shape.RowLoop);
        w.Line(shape.RowStart);
        foreach (int id in perRow)
            w.Line($"float s{local[id]} = {TypeNames.Unsafe}.Add(ref a{local[id]}, {shape.Example});");
        w.Line(shape.FirstColumn);

        if (shape.VectorLimit is { } vectorLimit)
        {
            w.Open($"for (; i + 8 <= {vectorLimit}; i += 8)");
            // A row's value repeated along the row is the same for all 8 elements (rows are whole vectors).
            foreach (int id in elements)
                w.Line(operands.Expanded.ContainsKey(id)
                    ? $"var v{local[id]} = {V}.Create({TypeNames.Unsafe}.Add(ref a{local[id]}, {shape.Index(graph[id])}));"
                    : $"var v{local[id]} = {V}.LoadUnsafe(ref a{local[id]}, {shape.Index(graph[id])});");
            foreach (int id in step.Chain)
                w.Line($"var v{local[id]} = {ElementwiseOps.Vector(graph[id].Op, Operands(graph[id], local, i => VectorOperand(graph, i, operands, local)))};");
            foreach (int id in step.Written)
                w.Line($"v{local[id]}.StoreUnsafe(ref r{local[id]}, at + i);");
            w.Close();
        }

        w.Open($"for (; i < {shape.Limit}; i++)");
        foreach (int id in elements)
            w.Line($"float x{local[id]} = {TypeNames.Unsafe}.Add(ref a{local[id]}, {shape.Index(graph[id])});");
        foreach (int id in step.Chain)
            w.Line($"float x{local[id]} = {ElementwiseOps.Scalar(graph[id].Op, Operands(graph[id], local, i => ScalarOperand(graph, i, operands, local)))};");
        foreach (int id in step.Written)
            w.Line($"{TypeNames.Unsafe}.Add(ref r{local[id]}, at + i) = x{local[id]};");
        w.Close();

        w.Close();
    }

    /// <summary>
    /// An op's operands in the loop; dropout's also name its mask and the element's stream position,
    /// <c>at + i</c> (example · size + element; an unbatched chain runs one row, at = 0).
    /// </summary>
    private static string[] Operands(Node node, LocalNames local, System.Func<int, string> operand)
    {
        if (node.Op == OpKind.Dropout)
            return new[] { operand(node.Inputs[0]), "d" + local[node.Id], "at + i" };
        var inputs = new string[node.Inputs.Count];
        for (int k = 0; k < inputs.Length; k++)
            inputs[k] = operand(node.Inputs[k]);
        return inputs;
    }

    /// <summary>
    /// An element's offset in its array: per row for batched values, the same for every row
    /// otherwise, for a vector tiled in the loop (a bias over a sequence) its element i % last, and
    /// for a value per row repeated along the row (row sums) the element's row.
    /// </summary>
    private static string Index(Node operand, FusedOperands operands) =>
        operands.Tiled.TryGetValue(operand.Id, out int last) ? $"i % {Literals.Int(last)}"
        : operands.Expanded.TryGetValue(operand.Id, out int length) ? Expanded(operand.Batched ? "at + i" : "i", length)
        : operand.Batched ? "at + i" : "i";

    /// <summary>The offset of the row that holds element <paramref name="position"/> of a value repeated along rows of <paramref name="length"/>: its row's one value.</summary>
    private static string Expanded(string position, int length) =>
        (position.Contains(' ') ? $"({position})" : position) + " / " + Literals.Int(length);

    /// <summary>A reference to the first element of a value: <c>_parameters[160]</c>.</summary>
    private static string Array(CompiledEntry entry, int id)
    {
        Storage storage = entry.Plan.Storage[id];
        return $"{storage.Field}[{Literals.Int(storage.Offset)}]";
    }

    /// <summary>An operand in the scalar loop: a literal, a scalar read once, or a local of this row.</summary>
    private static string ScalarOperand(Graph graph, int id, FusedOperands operands, LocalNames local)
    {
        Node node = graph[id];
        if (node.Op == OpKind.Constant) return Literals.Float(node.Constant);
        if (node.Op == OpKind.LossSeed) return "seed";
        return (operands.IsBroadcastScalar(id) ? "s" : "x") + local[id];
    }

    /// <summary>An operand in the vector loop: scalars are repeated across the vector's lanes.</summary>
    private static string VectorOperand(Graph graph, int id, FusedOperands operands, LocalNames local)
    {
        Node node = graph[id];
        if (node.Op == OpKind.Constant) return $"{V}.Create({Literals.Float(node.Constant)})";
        if (node.Op == OpKind.LossSeed) return $"{V}.Create(seed)";
        return operands.IsBroadcastScalar(id) ? $"{V}.Create(s{local[id]})" : "v" + local[id];
    }
}
