using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

// The steps of an entry point: each IR op that is not fused into a loop becomes one call of a
// runtime primitive, preceded by the IR it computes and the user's line it came from.
internal static partial class CpuProgramEmitter
{
    /// <summary>Writes an entry's steps; <paramref name="writeUpdate"/> writes its parameter updates (a training step in parts).</summary>
    private static void WriteSteps(SourceWriter w, CompiledEntry entry, LoopTable loops, Action<UpdateStep>? writeUpdate = null)
    {
        Graph graph = entry.Graph;
        StepComments.WriteSteps(w, entry, step =>
        {
            switch (step)
            {
                case ElementwiseStep e when loops.IsEpilogue(entry, e):
                    break; // written with its GEMM
                case ElementwiseStep e:
                    foreach (int id in e.Chain) w.Line("// " + Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[e.Root], graph[e.Root].Batched
                        ? $"{TypeNames.CpuParallel}.For(batch, {Literals.Int(Grain(graph[e.Root]))}, {loops.Field(entry, e)});"
                        : $"{loops.Name(entry, e)}(0, 1);");
                    break;
                case CallStep c when loops.EpilogueOf(entry, c) is { } epilogue:
                    w.Line("// " + Describe(graph[c.Node]));
                    w.Line("// and in the GEMM's epilogue, block by block:");
                    foreach (int id in epilogue.Chain) w.Line("// " + Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[c.Node], Call(entry, graph[c.Node], loops.Field(entry, epilogue)));
                    break;
                case CallStep c:
                    w.Line("// " + Describe(graph[c.Node]));
                    StepComments.WriteMapped(w, graph[c.Node], Call(entry, graph[c.Node]));
                    break;
                case CopyStep c:
                    w.Line($"// gradient of {c.Parameter} = %{c.Node}");
                    w.Line(ReadValue(entry, c.Node, $"_gradients.AsSpan({c.Destination.Offset}, {graph[c.Node].Shape.Size})"));
                    break;
                case UpdateStep u:
                    writeUpdate!(u);
                    break;
            }
        });
    }

    /// <summary>Rows per chunk when a loop is split over the cores: about 16K floats of work each.</summary>
    private static int Grain(Node root) => Math.Max(1, 16384 / Math.Max(1, root.Shape.Size));

    private static string Describe(Node node) => StepComments.Describe(node);

    /// <param name="epilogue">The delegate field of the loop a GEMM runs as its epilogue, if any.</param>
    private static string Call(CompiledEntry entry, Node node, string? epilogue = null)
    {
        string epilogueArgument = epilogue is null ? "" : ", epilogue: " + epilogue;
        Graph g = entry.Graph;
        string Rows(Node n) => RowCount(n);
        string In(int i) => SpanOf(entry, node.Inputs[i]);
        string Out = SpanOf(entry, node.Id);
        Node a = node.Inputs.Count > 0 ? g[node.Inputs[0]] : node;
        switch (node.Op)
        {
            case OpKind.Transpose:
            {
                var (outer, first, middle, second, inner) = MovementLayout.Swap(g, node);
                return $"{TypeNames.Movement}.SwapAxes({In(0)}, {Out}, {outer}, {first}, {middle}, {second}, {inner});";
            }
            case OpKind.Reshape:
                return $"{In(0)}.CopyTo({Out});";
            case OpKind.Concat:
                return string.Join(" ", MovementLayout.Concat(g, node).Select(c => CopyBlocks(entry, c, Out)));
            case OpKind.Slice:
                return CopyBlocks(entry, MovementLayout.Slice(g, node), Out);
            case OpKind.CausalMask:
                return $"{TypeNames.Movement}.CausalMask({Out}, {node.Shape[0]});";
            case OpKind.Linear:
                RequireUnbatchedWeight(node, a);
                return $"{TypeNames.Gemm}.Multiply(false, true, {Rows(node)}, {a.Shape[0]}, {a.Shape[1]}, {In(1)}, {In(0)}, {Out}{epilogueArgument});";
            case OpKind.LinearTranspose:
                RequireUnbatchedWeight(node, a);
                return $"{TypeNames.Gemm}.Multiply(false, false, {Rows(node)}, {a.Shape[1]}, {a.Shape[0]}, {In(1)}, {In(0)}, {Out}{epilogueArgument});";
            case OpKind.OuterBatchSum:
                Node b = g[node.Inputs[1]];
                if (a.Batched != b.Batched) throw new NotSupportedException($"outer_batch_sum of a batched and an unbatched value (%{node.Id})");
                return $"{TypeNames.Gemm}.Multiply(true, false, {a.Shape.Last}, {b.Shape.Last}, {Rows(a)}, {In(0)}, {In(1)}, {Out});";
            case OpKind.MatMul:
                return MatMul(node, g, In(0), In(1), Out);
            case OpKind.SplitHeads:
                return $"{TypeNames.Sequences}.SplitHeads({In(0)}, {Out}, {Batch(node)}, {Heads(node, g)});";
            case OpKind.MergeHeads:
                return $"{TypeNames.Sequences}.MergeHeads({In(0)}, {Out}, {Batch(node)}, {Heads(node, g)});";
            case OpKind.CausalSoftmax:
                return $"{TypeNames.Rows}.CausalSoftmax({In(0)}, {Out}, {Rows(node)}, {a.Shape.Last});";
            case OpKind.Sum:
                return $"{TypeNames.Rows}.Sum({In(0)}, {Out}, {Rows(node)}, {a.Shape.Size});";
            case OpKind.SumLast:
                return $"{TypeNames.Rows}.Sum({In(0)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.SumLeading:
                return $"{TypeNames.Rows}.ColumnSum({In(0)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.ExpandLast:
                return $"{TypeNames.Sequences}.ExpandLast({In(0)}, {Out}, {Rows(node)}, {node.Shape.Last});";
            case OpKind.Tile:
                return $"{TypeNames.Sequences}.Tile({In(0)}, {Out}, {Rows(node)}, {node.Shape.Last});";
            case OpKind.LayerNorm:
                return $"{TypeNames.LayerNormKernels}.Normalize({In(0)}, {Out}, {Rows(a)}, {a.Shape.Last}, {Epsilon});";
            case OpKind.LayerNormScale:
                return $"{TypeNames.LayerNormKernels}.InverseDeviation({In(0)}, {Out}, {Rows(a)}, {a.Shape.Last}, {Epsilon});";
            case OpKind.LayerNormBackward:
                RequireSameBatching(node, g);
                return $"{TypeNames.LayerNormKernels}.Backward({In(0)}, {In(1)}, {In(2)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.Gather:
                RequireUnbatchedWeight(node, a);
                return $"{TypeNames.Sequences}.Gather({In(0)}, {In(1)}, {Out}, {Rows(node)}, {node.Shape.Last}, {a.Shape[0]});";
            case OpKind.ScatterAdd:
                if (!g[node.Inputs[1]].Batched) throw new NotSupportedException($"scatter_add of unbatched rows (%{node.Id})");
                return $"{TypeNames.Sequences}.ScatterAdd({In(0)}, {In(1)}, {Out}, {Rows(g[node.Inputs[1]])}, {node.Shape.Last}, {node.Shape[0]});";
            case OpKind.BatchSum:
                return $"{TypeNames.Rows}.ColumnSum({In(0)}, {Out}, batch, {a.Shape.Size});";
            case OpKind.Softmax:
                return $"{TypeNames.Rows}.Softmax({In(0)}, {Out}, {Rows(node)}, {a.Shape.Last});";
            case OpKind.LogSoftmax:
                return $"{TypeNames.Rows}.LogSoftmax({In(0)}, {Out}, {Rows(node)}, {a.Shape.Last});";
            case OpKind.CrossEntropy:
                return $"{TypeNames.Rows}.CrossEntropy({In(0)}, {In(1)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.CrossEntropyGrad:
                // The loss seed (or a constant) weighs every row alike and lives in no array.
                return $"{TypeNames.Rows}.CrossEntropyBackward({In(0)}, {In(1)}, {RowWeight(entry, node)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.Accuracy:
                return $"{TypeNames.Rows}.Accuracy({In(0)}, {In(1)}, {Out}, {Rows(a)}, {a.Shape.Last});";
            case OpKind.OneHot:
                return $"{TypeNames.Rows}.OneHot({In(0)}, {Out}, {Rows(node)}, {node.Shape.Last});";
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no CPU call for this op");
        }
    }

    private static string CopyBlocks(CompiledEntry entry, MovementLayout.BlockCopy c, string destination) =>
        $"{TypeNames.Movement}.CopyBlocks({SpanOf(entry, c.Source)}, {destination}, {c.Blocks}, {c.SourceBlocks}, {c.Width}, {c.SourceStride}, {c.SourceOffset}, {c.DestinationStride}, {c.DestinationOffset});";

    /// <summary>
    /// A batched matrix product: one GEMM over every row when a shared right-hand matrix meets
    /// contiguous rows of A (X·W), else one small GEMM per (example, leading index).
    /// </summary>
    private static string MatMul(Node node, Graph g, string a, string b, string c)
    {
        MatMulLayout l = MatMulLayout.Of(node, g);
        if (l.IsOneGemm)
            return $"{TypeNames.Gemm}.Multiply(false, {Bool(l.TransposeB)}, {l.Rows}, {Literals.Int(l.N)}, {Literals.Int(l.K)}, {a}, {b}, {c});";
        return $"{TypeNames.Gemm}.MultiplyBatched({Bool(l.TransposeA)}, {Bool(l.TransposeB)}, {Batch(node)}, {Literals.Int(l.Count)}, "
            + $"{Literals.Int(l.M)}, {Literals.Int(l.N)}, {Literals.Int(l.K)}, {a}, {Literals.Int(l.ABatchStride)}, {Literals.Int(l.AStride)}, {b}, {Literals.Int(l.BBatchStride)}, {Literals.Int(l.BStride)}, {c});";
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary><c>batch</c>, or <c>1</c> for an unbatched value.</summary>
    internal static string Batch(Node node) => node.Batched ? "batch" : "1";

    /// <summary>split_heads' and merge_heads' layout after the batch: T, heads, dh, part, parts.</summary>
    internal static string Heads(Node node, Graph g)
    {
        Node heads = node.Op == OpKind.SplitHeads ? node : g[node.Inputs[0]];
        int part = node.Op == OpKind.SplitHeads ? node.Attributes[1] : node.Attributes[0];
        int parts = node.Op == OpKind.SplitHeads ? node.Attributes[2] : node.Attributes[1];
        return $"{Literals.Int(heads.Shape[1])}, {Literals.Int(heads.Shape[0])}, {Literals.Int(heads.Shape[2])}, {Literals.Int(part)}, {Literals.Int(parts)}";
    }

    /// <summary>
    /// cross_entropy_grad's weight: <c>_seed</c> or a literal for one shared by every row, else the
    /// span of one per row, which must be batched as the logits are.
    /// </summary>
    internal static string RowWeight(CompiledEntry entry, Node node)
    {
        Node weight = entry.Graph[node.Inputs[2]];
        switch (weight.Op)
        {
            case OpKind.LossSeed: return "_seed";
            case OpKind.Constant: return Literals.Float(weight.Constant);
        }
        RequireRowWeights(node, entry.Graph);
        return SpanOf(entry, weight.Id);
    }

    /// <summary>A weight per row is read row for row with the logits, so it must be batched as they are and have their rows' shape.</summary>
    internal static void RequireRowWeights(Node node, Graph g)
    {
        Node weight = g[node.Inputs[2]];
        if (weight.Batched != g[node.Inputs[0]].Batched || weight.Shape != g[node.Inputs[1]].Shape)
            throw new NotSupportedException($"cross_entropy_grad with a weight of another shape than its rows (%{node.Id})");
    }

    /// <summary>nn.LayerNorm's ε as a float literal (Dsl.LayerNormAttribute.Epsilon).</summary>
    internal const string Epsilon = "1E-05f";

    /// <summary>
    /// The rows of the last axis a value has in this batch, as an expression: <c>batch</c> for a
    /// batched vector, <c>batch * 32</c> for a batched sequence [32, d], <c>1</c> or <c>32</c> unbatched.
    /// </summary>
    internal static string RowCount(Node node)
    {
        int rows = node.Shape.Rows;
        return node.Batched ? (rows == 1 ? "batch" : "batch * " + Literals.Int(rows)) : Literals.Int(rows);
    }

    /// <summary>Row kernels of several inputs read them row for row, so all must vary with the batch alike.</summary>
    internal static void RequireSameBatching(Node node, Graph g)
    {
        if (node.Inputs.Any(i => g[i].Batched != node.Batched))
            throw new NotSupportedException($"{IrPrinter.OpName(node.Op)} of batched and unbatched values (%{node.Id})");
    }

    internal static void RequireUnbatchedWeight(Node node, Node weight)
    {
        if (weight.Batched)
            throw new NotSupportedException($"{IrPrinter.OpName(node.Op)} with a batched matrix (%{node.Id})");
    }

    /// <summary>The span of a materialised value: <c>_slot2.AsSpan(0, batch * 16)</c>.</summary>
    private static string SpanOf(CompiledEntry entry, int id)
    {
        Node node = entry.Graph[id];
        Storage storage = entry.Plan.Storage[id];
        string length = node.Batched
            ? (node.Shape.Size == 1 ? "batch" : "batch * " + Literals.Int(node.Shape.Size))
            : Literals.Int(node.Shape.Size);
        if (storage.Kind == StorageKind.Input && ReadsInPlace(entry, node.Name!))
            return $"{node.Name}.Slice({Literals.Int(storage.Offset)}, {length})";
        return $"{storage.Field}.AsSpan({Literals.Int(storage.Offset)}, {length})";
    }

    /// <summary>A statement that writes a value into <paramref name="destination"/> (a span expression).</summary>
    private static string ReadValue(CompiledEntry entry, int id, string destination)
    {
        Node node = entry.Graph[id];
        return node.Op switch
        {
            OpKind.Constant => $"{destination}.Fill({Literals.Float(node.Constant)});",
            OpKind.LossSeed => $"{destination}.Fill(_seed);",
            _ when node.Batched || node.Shape.Size > 1 => $"{SpanOf(entry, id)}.CopyTo({destination});",
            _ => $"{destination}.Fill({SpanOf(entry, id)}[0]);",
        };
    }

    /// <summary>The batch mean of a per-example scalar, as an expression.</summary>
    private static string MeanOf(CompiledEntry entry, int id)
    {
        Node node = entry.Graph[id];
        return node.Op switch
        {
            OpKind.Constant => Literals.Float(node.Constant),
            OpKind.LossSeed => "_seed",
            _ when node.Batched => $"{TypeNames.Rows}.Mean({SpanOf(entry, id)})",
            _ => $"{SpanOf(entry, id)}[0]",
        };
    }
}
