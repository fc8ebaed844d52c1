using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>
/// Turns each <see cref="CallStep"/> of an entry point into the library kernel calls that compute
/// it, once for every backend: which kernel, the row counts, batch, heads and matmul and movement
/// layouts, and (where the backend fuses them) the GEMM epilogues. The emitters only render the
/// calls. It also rejects what no kernel can run (a batched weight matrix, rows of mixed batching).
/// </summary>
internal static class KernelCallPlanner
{
    /// <summary>nn.LayerNorm's ε (Dsl.LayerNormAttribute.Epsilon, which the eager layers use): the one the generated programs add to the variance.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>The calls of an entry's steps on a backend with <paramref name="backend"/>'s capabilities.</summary>
    public static KernelCallPlan Plan(EntryPlan entry, BackendCapabilities backend)
    {
        IReadOnlyDictionary<CallStep, ElementwiseStep> epilogues = backend.FusesGemmEpilogues
            ? GemmEpilogues.Of(entry)
            : new Dictionary<CallStep, ElementwiseStep>();
        var calls = new List<KernelCall>();
        foreach (CallStep step in entry.Steps.OfType<CallStep>())
        {
            IEnumerable<KernelCall> planned = CallsOf(entry.Graph, entry.Graph[step.Node]);
            if (epilogues.TryGetValue(step, out ElementwiseStep? epilogue))
                planned = planned.Select(c => c with { Epilogue = epilogue });
            calls.AddRange(planned);
        }
        return new KernelCallPlan(calls);
    }

    /// <summary>The calls that compute <paramref name="node"/>.</summary>
    public static IEnumerable<KernelCall> CallsOf(Graph g, Node node)
    {
        Node a = node.Inputs.Count > 0 ? g[node.Inputs[0]] : node;
        KernelCall Call(KernelId kernel, IEnumerable<int> operands, params KernelSize[] sizes) =>
            new(kernel, node.Id, operands.ToEquatableArray(), EquatableArray.Of(sizes));
        KernelCall Unary(KernelId kernel, params KernelSize[] sizes) => Call(kernel, new[] { node.Inputs[0] }, sizes);
        KernelCall Inputs(KernelId kernel, params KernelSize[] sizes) => Call(kernel, node.Inputs, sizes);
        KernelSize Rows(Node n) => KernelSize.Of(n.Shape.Rows, n.Batched);
        KernelSize Fixed(int n) => KernelSize.Fixed(n);
        KernelSize Batch = KernelSize.Of(1, node.Batched);
        switch (node.Op)
        {
            case OpKind.Transpose:
            {
                var (outer, first, middle, second, inner) = MovementLayout.Swap(g, node);
                return One(Unary(KernelId.SwapAxes, outer, Fixed(first), Fixed(middle), Fixed(second), Fixed(inner)));
            }
            case OpKind.Reshape:
            {
                // The same floats in the same order: one contiguous block per example.
                int size = node.Shape.Size;
                return One(Unary(KernelId.CopyBlocks, Batch, Batch, Fixed(size), Fixed(size), Fixed(0), Fixed(size), Fixed(0)));
            }
            case OpKind.Concat:
                return MovementLayout.Concat(g, node).Select(c => CopyBlocks(node, c));
            case OpKind.Slice:
                return One(CopyBlocks(node, MovementLayout.Slice(g, node)));
            case OpKind.CausalMask:
                return One(Call(KernelId.CausalMask, Array.Empty<int>(), Fixed(node.Shape[0])));
            case OpKind.Linear:
                // y = x·Wᵀ: A is the rows of x, B the weight [out, in].
                RequireUnbatchedWeight(node, a);
                return One(Call(KernelId.Gemm, new[] { node.Inputs[1], node.Inputs[0] }, Rows(node), Fixed(a.Shape[0]), Fixed(a.Shape[1])) with { TransposeB = true });
            case OpKind.LinearTranspose:
                RequireUnbatchedWeight(node, a);
                return One(Call(KernelId.Gemm, new[] { node.Inputs[1], node.Inputs[0] }, Rows(node), Fixed(a.Shape[1]), Fixed(a.Shape[0])));
            case OpKind.OuterBatchSum:
            {
                Node b = g[node.Inputs[1]];
                if (a.Batched != b.Batched) throw new NotSupportedException($"outer_batch_sum of a batched and an unbatched value (%{node.Id})");
                return One(Inputs(KernelId.Gemm, Fixed(a.Shape.Last), Fixed(b.Shape.Last), Rows(a)) with { TransposeA = true });
            }
            case OpKind.MatMul:
                return One(MatMul(g, node));
            case OpKind.SplitHeads:
            case OpKind.MergeHeads:
                return One(Unary(node.Op == OpKind.SplitHeads ? KernelId.SplitHeads : KernelId.MergeHeads, Heads(g, node, Batch)));
            case OpKind.CausalSoftmax:
                return One(Unary(KernelId.CausalSoftmax, Rows(node), Fixed(a.Shape.Last)));
            case OpKind.Softmax:
                return One(Unary(KernelId.Softmax, Rows(node), Fixed(a.Shape.Last)));
            case OpKind.LogSoftmax:
                return One(Unary(KernelId.LogSoftmax, Rows(node), Fixed(a.Shape.Last)));
            case OpKind.Sum:
                return One(Unary(KernelId.SumRows, Rows(node), Fixed(a.Shape.Size)));
            case OpKind.SumLast:
                return One(Unary(KernelId.SumRows, Rows(a), Fixed(a.Shape.Last)));
            case OpKind.SumLeading:
                return One(Unary(KernelId.SumColumns, Rows(a), Fixed(a.Shape.Last)));
            case OpKind.BatchSum:
                return One(Unary(KernelId.SumColumns, KernelSize.PerExample(1), Fixed(a.Shape.Size)));
            case OpKind.ExpandLast:
                return One(Unary(KernelId.ExpandLast, Rows(node), Fixed(node.Shape.Last)));
            case OpKind.Tile:
                return One(Unary(KernelId.Tile, Rows(node), Fixed(node.Shape.Last)));
            case OpKind.LayerNorm:
                return One(Unary(KernelId.LayerNorm, Rows(a), Fixed(a.Shape.Last)) with { Epsilon = LayerNormEpsilon });
            case OpKind.LayerNormScale:
                return One(Unary(KernelId.LayerNormInverseDeviation, Rows(a), Fixed(a.Shape.Last)) with { Epsilon = LayerNormEpsilon });
            case OpKind.LayerNormBackward:
                RequireSameBatching(node, g);
                return One(Inputs(KernelId.LayerNormBackward, Rows(a), Fixed(a.Shape.Last)));
            case OpKind.Gather:
                RequireUnbatchedWeight(node, a);
                return One(Inputs(KernelId.Gather, Rows(node), Fixed(node.Shape.Last), Fixed(a.Shape[0])));
            case OpKind.ScatterAdd:
                if (!g[node.Inputs[1]].Batched) throw new NotSupportedException($"scatter_add of unbatched rows (%{node.Id})");
                return One(Inputs(KernelId.ScatterAdd, Rows(g[node.Inputs[1]]), Fixed(node.Shape.Last), Fixed(node.Shape[0])));
            case OpKind.CrossEntropy:
                return One(Inputs(KernelId.CrossEntropy, Rows(a), Fixed(a.Shape.Last)));
            case OpKind.CrossEntropyGrad:
                return One(Call(KernelId.CrossEntropyBackward, new[] { node.Inputs[0], node.Inputs[1] }, Rows(a), Fixed(a.Shape.Last)) with { Weight = RowWeightOf(g, node) });
            case OpKind.Accuracy:
                return One(Inputs(KernelId.Accuracy, Rows(a), Fixed(a.Shape.Last)));
            case OpKind.OneHot:
                return One(Unary(KernelId.OneHot, Rows(node), Fixed(node.Shape.Last)));
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node.Op, "no library kernel computes this op");
        }
    }

    private static IEnumerable<KernelCall> One(KernelCall call) => new[] { call };

    private static KernelCall CopyBlocks(Node node, MovementLayout.BlockCopy c) =>
        new(KernelId.CopyBlocks, node.Id, EquatableArray.Of(c.Source), EquatableArray.Of(
            c.Blocks, c.SourceBlocks, KernelSize.Fixed(c.Width), KernelSize.Fixed(c.SourceStride), KernelSize.Fixed(c.SourceOffset),
            KernelSize.Fixed(c.DestinationStride), KernelSize.Fixed(c.DestinationOffset)));

    /// <summary>
    /// A batched matrix product: one GEMM over every row when a shared right-hand matrix meets
    /// contiguous rows of A (X·W), else one small GEMM per (example, leading index).
    /// </summary>
    private static KernelCall MatMul(Graph g, Node node)
    {
        MatMulLayout l = MatMulLayout.Of(node, g);
        var operands = EquatableArray.Of(node.Inputs[0], node.Inputs[1]);
        if (l.IsOneGemm)
            return new KernelCall(KernelId.Gemm, node.Id, operands,
                EquatableArray.Of(l.Rows, KernelSize.Fixed(l.N), KernelSize.Fixed(l.K)), TransposeB: l.TransposeB);
        return new KernelCall(KernelId.BatchedGemm, node.Id, operands,
            new[] { KernelSize.Of(1, node.Batched) }
                .Concat(new[] { l.Count, l.M, l.N, l.K, l.ABatchStride, l.AStride, l.BBatchStride, l.BStride }.Select(KernelSize.Fixed))
                .ToEquatableArray(),
            l.TransposeA, l.TransposeB);
    }

    /// <summary>split_heads' and merge_heads' sizes: batch, then T, heads, dh, part, parts.</summary>
    private static KernelSize[] Heads(Graph g, Node node, KernelSize batch)
    {
        Node heads = node.Op == OpKind.SplitHeads ? node : g[node.Inputs[0]];
        int part = node.Op == OpKind.SplitHeads ? node.Attributes[1] : node.Attributes[0];
        int parts = node.Op == OpKind.SplitHeads ? node.Attributes[2] : node.Attributes[1];
        return new[] { batch }.Concat(new[] { heads.Shape[1], heads.Shape[0], heads.Shape[2], part, parts }.Select(KernelSize.Fixed)).ToArray();
    }

    /// <summary>
    /// cross_entropy_grad's weight: the loss seed or a constant shared by every row, else one per
    /// row, which must be batched as the logits are and have their rows' shape.
    /// </summary>
    private static RowWeight RowWeightOf(Graph g, Node node)
    {
        Node weight = g[node.Inputs[2]];
        switch (weight.Op)
        {
            case OpKind.LossSeed: return new RowWeight(RowWeightKind.Seed, 0, weight.Id);
            case OpKind.Constant: return new RowWeight(RowWeightKind.Constant, weight.Constant, weight.Id);
        }
        if (weight.Batched != g[node.Inputs[0]].Batched || weight.Shape != g[node.Inputs[1]].Shape)
            throw new NotSupportedException($"cross_entropy_grad with a weight of another shape than its rows (%{node.Id})");
        return new RowWeight(RowWeightKind.PerRow, 0, weight.Id);
    }

    /// <summary>Row kernels of several inputs read them row for row, so all must vary with the batch alike.</summary>
    private static void RequireSameBatching(Node node, Graph g)
    {
        if (node.Inputs.Any(i => g[i].Batched != node.Batched))
            throw new NotSupportedException($"{IrPrinter.OpName(node.Op)} of batched and unbatched values (%{node.Id})");
    }

    /// <summary>A GEMM's or a gather's matrix is one for the whole batch.</summary>
    private static void RequireUnbatchedWeight(Node node, Node weight)
    {
        if (weight.Batched)
            throw new NotSupportedException($"{IrPrinter.OpName(node.Op)} with a batched matrix (%{node.Id})");
    }
}
