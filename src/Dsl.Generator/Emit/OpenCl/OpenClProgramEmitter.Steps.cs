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
                    StepComments.WriteMapped(w, graph[c.Node], Call(entry, graph[c.Node]));
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

    /// <summary>The launch of a library kernel, with the CPU program's arguments (<c>Gemm.Multiply</c>'s m, n, k; <c>Rows</c>'s rows, cols).</summary>
    private static string Call(CompiledEntry entry, Node node)
    {
        Graph g = entry.Graph;
        string Rows(Node n) => CpuProgramEmitter.RowCount(n);
        string In(int i) => Argument(entry, node.Inputs[i]);
        string Out = Argument(entry, node.Id);
        string kernel = LibraryKernels.For(node, g).Field;
        Node a = node.Inputs.Count > 0 ? g[node.Inputs[0]] : node;
        switch (node.Op)
        {
            case OpKind.Transpose:
            {
                var (outer, first, middle, second, inner) = MovementLayout.Swap(g, node);
                return $"SwapAxes({kernel}, {outer}, {first}, {middle}, {second}, {inner}, {In(0)}, {Out});";
            }
            case OpKind.Reshape:
            {
                // The same floats in the same order: one block per example.
                string blocks = node.Batched ? "batch" : "1";
                int size = node.Shape.Size;
                return $"CopyBlocks({kernel}, {blocks}, {blocks}, {size}, {size}, 0, {size}, 0, {In(0)}, {Out});";
            }
            case OpKind.Concat:
                return string.Join(" ", MovementLayout.Concat(g, node).Select(c => CopyBlocks(entry, kernel, c, Out)));
            case OpKind.Slice:
                return CopyBlocks(entry, kernel, MovementLayout.Slice(g, node), Out);
            case OpKind.CausalMask:
                return $"CausalMask({kernel}, {node.Shape[0]}, {Out});";
            case OpKind.Linear:
                CpuProgramEmitter.RequireUnbatchedWeight(node, a);
                return $"Gemm({kernel}, {Rows(node)}, {a.Shape[0]}, {a.Shape[1]}, {In(1)}, {In(0)}, {Out});";
            case OpKind.LinearTranspose:
                CpuProgramEmitter.RequireUnbatchedWeight(node, a);
                return $"Gemm({kernel}, {Rows(node)}, {a.Shape[1]}, {a.Shape[0]}, {In(1)}, {In(0)}, {Out});";
            case OpKind.OuterBatchSum:
                Node b = g[node.Inputs[1]];
                if (a.Batched != b.Batched) throw new NotSupportedException($"outer_batch_sum of a batched and an unbatched value (%{node.Id})");
                return $"Gemm({kernel}, {a.Shape.Last}, {b.Shape.Last}, {Rows(a)}, {In(0)}, {In(1)}, {Out});";
            case OpKind.MatMul:
            {
                MatMulLayout l = MatMulLayout.Of(node, g);
                if (l.IsOneGemm)
                    return $"Gemm({kernel}, {l.Rows}, {Literals.Int(l.N)}, {Literals.Int(l.K)}, {In(0)}, {In(1)}, {Out});";
                return $"BatchedGemm({kernel}, {CpuProgramEmitter.Batch(node)}, {Literals.Int(l.Count)}, {Literals.Int(l.M)}, {Literals.Int(l.N)}, {Literals.Int(l.K)}, "
                    + $"{In(0)}, {Literals.Int(l.ABatchStride)}, {Literals.Int(l.AStride)}, {In(1)}, {Literals.Int(l.BBatchStride)}, {Literals.Int(l.BStride)}, {Out});";
            }
            case OpKind.SplitHeads:
            case OpKind.MergeHeads:
                return $"{LibraryKernels.For(node.Op).Launcher.Name}({kernel}, {CpuProgramEmitter.Batch(node)}, {CpuProgramEmitter.Heads(node, g)}, {In(0)}, {Out});";
            case OpKind.Sum:
                return $"Rows({kernel}, {Rows(node)}, {a.Shape.Size}, {In(0)}, {Out});";
            case OpKind.SumLast:
                return $"Rows({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {Out});";
            case OpKind.Softmax:
            case OpKind.CausalSoftmax:
            case OpKind.LogSoftmax:
            case OpKind.ExpandLast:
            case OpKind.Tile:
                return $"Rows({kernel}, {Rows(node)}, {node.Shape.Last}, {In(0)}, {Out});";
            case OpKind.BatchSum:
                return $"Columns({kernel}, batch, {a.Shape.Size}, {In(0)}, {Out});";
            case OpKind.SumLeading:
                return $"Columns({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {Out});";
            case OpKind.CrossEntropy:
            case OpKind.Accuracy:
                return $"LabelRows({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {In(1)}, {Out});";
            case OpKind.CrossEntropyGrad:
                return $"CrossEntropyGrad({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {In(1)}, {RowWeight(entry, node)}, {Out});";
            case OpKind.LayerNorm:
            case OpKind.LayerNormScale:
                return $"Rows({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {Out});";
            case OpKind.LayerNormBackward:
                CpuProgramEmitter.RequireSameBatching(node, g);
                return $"NormRows({kernel}, {Rows(a)}, {a.Shape.Last}, {In(0)}, {In(1)}, {In(2)}, {Out});";
            case OpKind.Gather:
                CpuProgramEmitter.RequireUnbatchedWeight(node, a);
                return $"LabelRows({kernel}, {Rows(node)}, {node.Shape.Last}, {In(0)}, {In(1)}, {Out});";
            case OpKind.ScatterAdd:
                if (!g[node.Inputs[1]].Batched) throw new NotSupportedException($"scatter_add of unbatched rows (%{node.Id})");
                return $"Scatter({kernel}, {Rows(g[node.Inputs[1]])}, {node.Shape.Last}, {node.Shape[0]}, {In(0)}, {In(1)}, {Out});";
            case OpKind.OneHot:
                return $"OneHot({kernel}, {Rows(node)}, {node.Shape.Last}, {In(0)}, {Out});";
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no OpenCL call for this op");
        }
    }

    private static string CopyBlocks(CompiledEntry entry, string kernel, MovementLayout.BlockCopy c, string destination) =>
        $"CopyBlocks({kernel}, {c.Blocks}, {c.SourceBlocks}, {c.Width}, {c.SourceStride}, {c.SourceOffset}, {c.DestinationStride}, {c.DestinationOffset}, {Argument(entry, c.Source)}, {destination});";

    /// <summary>
    /// cross_entropy_grad's weight as (weights, offset, perRow, weight): the loss seed or a
    /// constant shared by every row (the logits' buffer stands in for the unread weights), else one per row.
    /// </summary>
    private static string RowWeight(CompiledEntry entry, Node node)
    {
        Node weight = entry.Graph[node.Inputs[2]];
        switch (weight.Op)
        {
            case OpKind.LossSeed: return $"{Argument(entry, node.Inputs[0])}, 0, _seed";
            case OpKind.Constant: return $"{Argument(entry, node.Inputs[0])}, 0, {Literals.Float(weight.Constant)}";
        }
        CpuProgramEmitter.RequireRowWeights(node, entry.Graph);
        return $"{Argument(entry, weight.Id)}, 1, 0f";
    }

    /// <summary>A materialised value as kernel arguments: its buffer and the offset of its first element, <c>_parameters, 160</c>.</summary>
    private static string Argument(CompiledEntry entry, int id)
    {
        Storage storage = entry.Plan.Storage[id];
        return $"{storage.Field}, {Literals.Int(storage.Offset)}";
    }

    /// <summary>How many floats a value has in this batch, as an expression: <c>batch * 16</c>.</summary>
    private static string Length(Node node) =>
        node.Batched ? (node.Shape.Size == 1 ? "batch" : "batch * " + Literals.Int(node.Shape.Size)) : Literals.Int(node.Shape.Size);

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
