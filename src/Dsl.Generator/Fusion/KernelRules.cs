using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>
/// The pieces of the op table's kernel column (<see cref="Ops.OpDefinition.Kernel"/>): the
/// builders its one-line rules use, and the rules longer than a line (GEMMs, movement, heads,
/// gather and scatter, the cross-entropy gradient's row weights), as Autodiff/Rules holds the
/// longer derivative rules. Each rule also rejects what no kernel can run (a batched weight
/// matrix, rows of mixed batching).
/// </summary>
internal static class KernelRules
{
    /// <summary>A call of <paramref name="kernel"/> computing <paramref name="node"/> from all its inputs.</summary>
    public static KernelCall Call(KernelId kernel, Node node, params KernelSize[] sizes) =>
        Call(kernel, node, node.Inputs.ToArray(), sizes);

    /// <summary>A call of <paramref name="kernel"/> computing <paramref name="node"/> from <paramref name="operands"/> (value ids).</summary>
    public static KernelCall Call(KernelId kernel, Node node, int[] operands, params KernelSize[] sizes) =>
        new(kernel, node.Id, EquatableArray.Of(operands), EquatableArray.Of(sizes));

    /// <summary>The rows of <paramref name="value"/> (its leading axes, times the batch when it is batched).</summary>
    public static KernelSize RowsOf(Node value) => KernelSize.Of(value.Shape.Rows, value.Batched);

    /// <summary>The rows of <paramref name="node"/>'s first input.</summary>
    public static KernelSize InputRowsOf(Graph g, Node node) => RowsOf(g[node.Inputs[0]]);

    /// <summary>The last axis of <paramref name="node"/>'s first input: a row kernel's columns.</summary>
    public static KernelSize InputLastOf(Graph g, Node node) => Fixed(g[node.Inputs[0]].Shape.Last);

    /// <summary>A size that does not vary with the batch.</summary>
    public static KernelSize Fixed(int count) => KernelSize.Fixed(count);

    /// <summary>x.transpose(a, b): the swap of two axes of a five-axis view.</summary>
    public static KernelCall SwapAxes(Graph g, Node node)
    {
        var (outer, first, middle, second, inner) = MovementLayout.Swap(g, node);
        return Call(KernelId.SwapAxes, node, outer, Fixed(first), Fixed(middle), Fixed(second), Fixed(inner));
    }

    /// <summary>The same floats in the same order: one contiguous block per example.</summary>
    public static KernelCall Reshape(Node node)
    {
        KernelSize batch = KernelSize.Of(1, node.Batched);
        int size = node.Shape.Size;
        return Call(KernelId.CopyBlocks, node, batch, batch, Fixed(size), Fixed(size), Fixed(0), Fixed(size), Fixed(0));
    }

    /// <summary>One block copy of a slice or of one part of a concat (<see cref="MovementLayout"/>).</summary>
    public static KernelCall CopyBlocks(Node node, MovementLayout.BlockCopy c) =>
        Call(KernelId.CopyBlocks, node, new[] { c.Source },
            c.Blocks, c.SourceBlocks, Fixed(c.Width), Fixed(c.SourceStride), Fixed(c.SourceOffset), Fixed(c.DestinationStride), Fixed(c.DestinationOffset));

    /// <summary>y = x·Wᵀ: A is the rows of x, B the weight [out, in].</summary>
    public static KernelCall Linear(Graph g, Node node)
    {
        Node weight = g[node.Inputs[0]];
        RequireUnbatchedWeight(node, weight);
        return Call(KernelId.Gemm, node, new[] { node.Inputs[1], node.Inputs[0] }, RowsOf(node), Fixed(weight.Shape[0]), Fixed(weight.Shape[1])) with { TransposeB = true };
    }

    /// <summary>x̄ = ȳ·W: A is the rows of ȳ, B the weight [out, in].</summary>
    public static KernelCall LinearTranspose(Graph g, Node node)
    {
        Node weight = g[node.Inputs[0]];
        RequireUnbatchedWeight(node, weight);
        return Call(KernelId.Gemm, node, new[] { node.Inputs[1], node.Inputs[0] }, RowsOf(node), Fixed(weight.Shape[1]), Fixed(weight.Shape[0]));
    }

    /// <summary>Σ over the batch's rows of aᵀ·b (a weight's gradient): m and n the two last axes, k the rows.</summary>
    public static KernelCall OuterBatchSum(Graph g, Node node)
    {
        Node a = g[node.Inputs[0]], b = g[node.Inputs[1]];
        if (a.Batched != b.Batched) throw new NotSupportedException($"outer_batch_sum of a batched and an unbatched value (%{node.Id})");
        return Call(KernelId.Gemm, node, Fixed(a.Shape.Last), Fixed(b.Shape.Last), RowsOf(a)) with { TransposeA = true };
    }

    /// <summary>
    /// A batched matrix product: one GEMM over every row when a shared right-hand matrix meets
    /// contiguous rows of A (X·W), else one small GEMM per (example, leading index).
    /// </summary>
    public static KernelCall MatMul(Graph g, Node node)
    {
        MatMulLayout l = MatMulLayout.Of(node, g);
        int[] operands = { node.Inputs[0], node.Inputs[1] };
        if (l.IsOneGemm)
            return Call(KernelId.Gemm, node, operands, l.Rows, Fixed(l.N), Fixed(l.K)) with { TransposeB = l.TransposeB };
        KernelSize[] sizes = new[] { KernelSize.Of(1, node.Batched) }
            .Concat(new[] { l.Count, l.M, l.N, l.K, l.ABatchStride, l.AStride, l.BBatchStride, l.BStride }.Select(Fixed))
            .ToArray();
        return Call(KernelId.BatchedGemm, node, operands, sizes) with { TransposeA = l.TransposeA, TransposeB = l.TransposeB };
    }

    /// <summary>split_heads and merge_heads: batch, then T, heads, dh, part, parts (of the split side).</summary>
    public static KernelCall Heads(Graph g, Node node)
    {
        bool split = node.Op == OpKind.SplitHeads;
        Node heads = split ? node : g[node.Inputs[0]];
        int part = split ? node.Attributes[1] : node.Attributes[0];
        int parts = split ? node.Attributes[2] : node.Attributes[1];
        KernelSize[] sizes = new[] { KernelSize.Of(1, node.Batched) }
            .Concat(new[] { heads.Shape[1], heads.Shape[0], heads.Shape[2], part, parts }.Select(Fixed)).ToArray();
        return Call(split ? KernelId.SplitHeads : KernelId.MergeHeads, node, new[] { node.Inputs[0] }, sizes);
    }

    /// <summary>Fused attention and its VJP: batch, then T, heads and dh (the emitters add the node's causal flag and dropout).</summary>
    public static KernelCall Attention(Graph g, Node node)
    {
        Node qkv = g[node.Inputs[0]];
        int heads = node.Attributes[0];
        if (!qkv.Batched) throw new NotSupportedException($"{IrPrinter.OpName(node.Op)} of an unbatched value (%{node.Id})");
        return Call(node.Op == OpKind.Attention ? KernelId.Attention : KernelId.AttentionBackward, node,
            KernelSize.Of(1, true), Fixed(qkv.Shape[0]), Fixed(heads), Fixed(qkv.Shape[1] / (3 * heads)));
    }

    /// <summary>An embedding's read: rows of the table by id; the table is one for the whole batch.</summary>
    public static KernelCall Gather(Graph g, Node node)
    {
        Node table = g[node.Inputs[0]];
        RequireUnbatchedWeight(node, table);
        return Call(KernelId.Gather, node, RowsOf(node), Fixed(node.Shape.Last), Fixed(table.Shape[0]));
    }

    /// <summary>The embedding's gradient: the batch's rows added into the table by id.</summary>
    public static KernelCall ScatterAdd(Graph g, Node node)
    {
        Node rows = g[node.Inputs[1]];
        if (!rows.Batched) throw new NotSupportedException($"scatter_add of unbatched rows (%{node.Id})");
        return Call(KernelId.ScatterAdd, node, RowsOf(rows), Fixed(node.Shape.Last), Fixed(node.Shape[0]));
    }

    /// <summary>
    /// Im2Col or Col2Im of the image <paramref name="image"/> [C, H, W]: the batch, the image's
    /// sizes, then the window (kernel, stride, padding, dilation).
    /// </summary>
    public static KernelCall ConvolutionCall(KernelId kernel, Node node, Shape image)
    {
        KernelSize[] sizes = new[] { KernelSize.Of(1, node.Batched) }
            .Concat(new[] { image[0], image[1], image[2] }.Concat(node.Attributes).Select(Fixed)).ToArray();
        return Call(kernel, node, sizes);
    }

    /// <summary>
    /// A fused convolution op (forward, input or weight gradient): the batch, the image's sizes, the
    /// window, then the output channels; operands (x, W), (ȳ, W) or (ȳ, x). The weight (and, for the
    /// weight gradient, the result) is one for the whole batch.
    /// </summary>
    public static KernelCall FusedConvolution(Graph g, Node node)
    {
        Node first = g[node.Inputs[0]], second = g[node.Inputs[1]];
        (KernelId kernel, Node weight, Shape image, int outChannels, int[] operands, bool batched) = node.Op switch
        {
            OpKind.Convolution => (KernelId.ConvolutionForward, first, second.Shape, first.Shape[0], new[] { node.Inputs[1], node.Inputs[0] }, node.Batched),
            OpKind.ConvolutionInputGrad => (KernelId.ConvolutionInputGrad, first, node.Shape, first.Shape[0], new[] { node.Inputs[1], node.Inputs[0] }, node.Batched),
            _ => (KernelId.ConvolutionWeightGrad, node, second.Shape, first.Shape[0], new[] { node.Inputs[0], node.Inputs[1] }, first.Batched),
        };
        RequireUnbatchedWeight(node, weight);
        if (node.Op == OpKind.ConvolutionWeightGrad && first.Batched != second.Batched)
            throw new NotSupportedException($"convolution_weight_grad of a batched and an unbatched value (%{node.Id})");
        KernelSize[] sizes = new[] { KernelSize.Of(1, batched) }
            .Concat(new[] { image[0], image[1], image[2] }.Concat(node.Attributes).Append(outChannels).Select(Fixed)).ToArray();
        return Call(kernel, node, operands, sizes);
    }

    /// <summary>LayerNorm's backward pass reads its three inputs row for row.</summary>
    public static KernelCall LayerNormBackward(Graph g, Node node)
    {
        RequireSameBatching(node, g);
        return Call(KernelId.LayerNormBackward, node, InputRowsOf(g, node), InputLastOf(g, node));
    }

    /// <summary>cross_entropy_grad: softmax minus the one-hot label, times each row's weight (its third input).</summary>
    public static KernelCall CrossEntropyBackward(Graph g, Node node) =>
        Call(KernelId.CrossEntropyBackward, node, new[] { node.Inputs[0], node.Inputs[1] }, InputRowsOf(g, node), InputLastOf(g, node))
            with { Weight = RowWeightOf(g, node) };

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
