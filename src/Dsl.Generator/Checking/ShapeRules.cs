using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Checking;

/// <summary>The inferred type of a new node: per-example shape, batchedness and element type.</summary>
internal readonly record struct NodeType(Shape Shape, bool Batched, DType Type);

/// <summary>
/// Static shape inference: for each op, the type of its result from the types of its inputs, or a
/// <see cref="ShapeError"/> that becomes a DSL01xx diagnostic at the user's line.
/// </summary>
internal static class ShapeRules
{
    public static NodeType Unary(OpKind op, Node x)
    {
        RequireFloat(op, x, 1);
        return new NodeType(x.Shape, x.Batched, x.Type);
    }

    /// <summary>
    /// Same shapes, or one side a scalar that broadcasts (NumPy's rule restricted to scalars). The
    /// scalar functions of the transforms also do int arithmetic on unbatched indices.
    /// </summary>
    public static NodeType Binary(OpKind op, Node a, Node b)
    {
        if (a.Type == DType.I32 && b.Type == DType.I32 && !a.Batched && !b.Batched)
            return new NodeType(Shape.Scalar, false, DType.I32);
        RequireFloat(op, a, 1);
        RequireFloat(op, b, 2);
        Shape shape = a.Shape == b.Shape || b.Shape.IsScalar ? a.Shape
            : a.Shape.IsScalar ? b.Shape
            : throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, Describe(op), a.Shape, b.Shape);
        return new NodeType(shape, a.Batched || b.Batched, a.Type);
    }

    public static NodeType Broadcast(Node scalar, Shape shape)
    {
        RequireScalar(OpKind.Broadcast, scalar);
        return new NodeType(shape, scalar.Batched, DType.F32);
    }

    public static NodeType Sum(Node x)
    {
        RequireFloat(OpKind.Sum, x, 1);
        return new NodeType(Shape.Scalar, x.Batched, DType.F32);
    }

    /// <summary>x / (B·k + c): a float of any shape, batched or not, keeps its type.</summary>
    public static NodeType BatchCountScale(Node x)
    {
        RequireFloat(OpKind.BatchCountScale, x, 1);
        return new NodeType(x.Shape, x.Batched, DType.F32);
    }

    public static NodeType BatchSum(Node x)
    {
        if (!x.Batched)
            throw new InvalidOperationException($"batch_sum of the unbatched %{x.Id}");
        return new NodeType(x.Shape, false, DType.F32);
    }

    /// <summary>y[..., j] = x[...]: x of rank 1 or more gains a last axis of <paramref name="length"/>.</summary>
    public static NodeType ExpandLast(Node x, int length)
    {
        RequireFloat(OpKind.ExpandLast, x, 1);
        if (x.Shape.IsScalar)
            throw new ShapeError(DiagnosticDescriptors.BadRank, Describe(OpKind.ExpandLast), "a tensor of rank 1 or more", x.Shape);
        return new NodeType(x.Shape.Append(length), x.Batched, DType.F32);
    }

    /// <summary>An unbatched vector [n] repeated over <paramref name="leading"/> gives [leading..., n].</summary>
    public static NodeType Tile(Node x, Shape leading)
    {
        RequireRank(OpKind.Tile, x, 1, "a vector");
        if (x.Batched)
            throw new InvalidOperationException($"tile of the batched %{x.Id}");
        return new NodeType(new Shape(leading.Dimensions.Concat(x.Shape.Dimensions).ToEquatableArray()), false, DType.F32);
    }

    /// <summary>[..., n] summed over its last axis gives [...] (rank 2 or more).</summary>
    public static NodeType SumLast(Node x)
    {
        RequireFloat(OpKind.SumLast, x, 1);
        if (x.Shape.Rank < 2)
            throw new ShapeError(DiagnosticDescriptors.BadRank, Describe(OpKind.SumLast), "a tensor of rank 2 or more", x.Shape);
        return new NodeType(x.Shape.Leading, x.Batched, DType.F32);
    }

    /// <summary>An unbatched [..., n] summed over its leading axes gives [n].</summary>
    public static NodeType SumLeading(Node x)
    {
        RequireFloat(OpKind.SumLeading, x, 1);
        if (x.Batched || x.Shape.Rank < 2)
            throw new InvalidOperationException($"sum_leading of %{x.Id}, which is batched or of rank below 2");
        return new NodeType(Shape.Of(x.Shape.Last), false, DType.F32);
    }

    /// <summary>W[O, I] times x[..., I] gives [..., O]: every leading index is one more row.</summary>
    public static NodeType Linear(Node weight, Node x)
    {
        RequireRank(OpKind.Linear, weight, 2, "a weight matrix [out, in]");
        RequireAtLeastVector(OpKind.Linear, x, "a vector [in] or a sequence [..., in]");
        if (weight.Shape[1] != x.Shape.Last)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "Dense weight [out, in] times input [..., in]", weight.Shape, x.Shape);
        return new NodeType(x.Shape.Leading.Append(weight.Shape[0]), x.Batched || weight.Batched, DType.F32);
    }

    /// <summary>Wᵀ[I, O] times g[..., O] gives [..., I].</summary>
    public static NodeType LinearTranspose(Node weight, Node g)
    {
        RequireRank(OpKind.LinearTranspose, weight, 2, "a weight matrix [out, in]");
        RequireAtLeastVector(OpKind.LinearTranspose, g, "a vector [out] or a sequence [..., out]");
        if (weight.Shape[0] != g.Shape.Last)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "transposed weight times vector", weight.Shape, g.Shape);
        return new NodeType(g.Shape.Leading.Append(weight.Shape[1]), g.Batched || weight.Batched, DType.F32);
    }

    /// <summary>a[..., O] ⊗ b[..., I] summed over the batch and the leading axes gives the unbatched [O, I].</summary>
    public static NodeType OuterBatchSum(Node a, Node b)
    {
        RequireAtLeastVector(OpKind.OuterBatchSum, a, "a vector");
        RequireAtLeastVector(OpKind.OuterBatchSum, b, "a vector");
        if (a.Shape.Leading != b.Shape.Leading)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "outer product rows", a.Shape, b.Shape);
        return new NodeType(Shape.Of(a.Shape.Last, b.Shape.Last), false, DType.F32);
    }

    /// <summary>
    /// op(A) [..., m, k] times op(B) [..., k, n] gives [..., m, n]: the leading axes agree, or one
    /// operand is a matrix shared by the other's leading axes.
    /// </summary>
    public static NodeType MatMul(Node a, Node b, bool transposeA, bool transposeB)
    {
        RequireAtLeastMatrix(a, 1);
        RequireAtLeastMatrix(b, 2);
        Shape leadingA = MatrixLeading(a.Shape), leadingB = MatrixLeading(b.Shape);
        if (leadingA != leadingB && a.Shape.Rank != 2 && b.Shape.Rank != 2)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "MatMul (leading axes)", a.Shape, b.Shape);
        int m = a.Shape[a.Shape.Rank - (transposeA ? 1 : 2)], k = a.Shape[a.Shape.Rank - (transposeA ? 2 : 1)];
        int kb = b.Shape[b.Shape.Rank - (transposeB ? 1 : 2)], n = b.Shape[b.Shape.Rank - (transposeB ? 2 : 1)];
        if (k != kb)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, $"MatMul{(transposeA ? " (A transposed)" : "")}{(transposeB ? " (B transposed)" : "")} [..., m, k] times [..., k, n]", a.Shape, b.Shape);
        Shape leading = leadingA.Rank >= leadingB.Rank ? leadingA : leadingB;
        return new NodeType(leading.Append(m).Append(n), a.Batched || b.Batched, DType.F32);
    }

    /// <summary>Every axis but the last two: [H, T, d] gives [H].</summary>
    public static Shape MatrixLeading(Shape shape) => new(shape.Dimensions.Take(shape.Rank - 2).ToEquatableArray());

    private static void RequireAtLeastMatrix(Node x, int position)
    {
        RequireFloat(OpKind.MatMul, x, position);
        if (x.Shape.Rank < 2)
            throw new ShapeError(DiagnosticDescriptors.BadRank, "MatMul", "a matrix [m, k] or a stack of them [..., m, k]", x.Shape);
    }

    /// <summary>[T, parts·H·dh] gives the heads [H, T, dh] of one part.</summary>
    public static NodeType SplitHeads(Node x, int heads, int part, int parts)
    {
        RequireRank(OpKind.SplitHeads, x, 2, "a sequence [T, d]");
        if (heads < 1 || parts < 1 || part < 0 || part >= parts || x.Shape[1] % (heads * parts) != 0)
            throw new InvalidOperationException($"split_heads of %{x.Id} {x.Shape} into part {part} of {parts} with {heads} heads");
        return new NodeType(Shape.Of(heads, x.Shape[0], x.Shape[1] / (heads * parts)), x.Batched, DType.F32);
    }

    /// <summary>The fused projection qkv [T, 3d] gives the heads side by side [T, d] (<see cref="OpKind.Attention"/>).</summary>
    public static NodeType Attention(Node qkv, int heads)
    {
        RequireRank(OpKind.Attention, qkv, 2, "a fused projection [T, 3d]");
        if (heads < 1 || qkv.Shape[1] % (3 * heads) != 0)
            throw new InvalidOperationException($"attention of %{qkv.Id} {qkv.Shape} with {heads} heads");
        return new NodeType(Shape.Of(qkv.Shape[0], qkv.Shape[1] / 3), qkv.Batched, DType.F32);
    }

    /// <summary>Attention's VJP: (qkv [T, 3d], ȳ [T, d]) give q̄kv [T, 3d].</summary>
    public static NodeType AttentionBackward(Node qkv, Node gradient, int heads)
    {
        NodeType forward = Attention(qkv, heads);
        if (!gradient.Shape.Equals(forward.Shape) || gradient.Batched != qkv.Batched)
            throw new InvalidOperationException($"attention_backward of %{qkv.Id} {qkv.Shape} with a cotangent %{gradient.Id} {gradient.Shape}");
        return new NodeType(qkv.Shape, qkv.Batched, DType.F32);
    }

    /// <summary>Heads [H, T, dh] give [T, parts·H·dh].</summary>
    public static NodeType MergeHeads(Node x, int part, int parts)
    {
        RequireRank(OpKind.MergeHeads, x, 3, "heads [H, T, dh]");
        if (parts < 1 || part < 0 || part >= parts)
            throw new InvalidOperationException($"merge_heads of %{x.Id} into part {part} of {parts}");
        return new NodeType(Shape.Of(x.Shape[1], parts * x.Shape[0] * x.Shape[2]), x.Batched, DType.F32);
    }

    /// <summary>Square scores [..., T, T] keep their shape.</summary>
    public static NodeType CausalSoftmax(Node x)
    {
        RequireFloat(OpKind.CausalSoftmax, x, 1);
        if (x.Shape.Rank < 2 || x.Shape[x.Shape.Rank - 2] != x.Shape.Last)
            throw new ShapeError(DiagnosticDescriptors.BadRank, "a causal softmax", "square scores [..., T, T]", x.Shape);
        return new NodeType(x.Shape, x.Batched, DType.F32);
    }

    public static NodeType Rowwise(OpKind op, Node x)
    {
        RequireAtLeastVector(op, x, "a vector or a sequence of vectors");
        return new NodeType(x.Shape, x.Batched, DType.F32);
    }

    /// <summary>logits [..., C] and labels [...] give one loss per row, [...].</summary>
    public static NodeType CrossEntropy(Node logits, Node label) => LabelRows(OpKind.CrossEntropy, logits, label);

    /// <summary>logits [..., C], labels [...] and a weight per row [...] (or one scalar) give the logits' gradient, [..., C].</summary>
    public static NodeType CrossEntropyGrad(Node logits, Node label, Node upstream)
    {
        NodeType rows = LabelRows(OpKind.CrossEntropyGrad, logits, label);
        RequireFloat(OpKind.CrossEntropyGrad, upstream, 3);
        if (!upstream.Shape.IsScalar && upstream.Shape != label.Shape)
            throw new InvalidOperationException($"cross_entropy_grad of %{logits.Id} {logits.Shape}, %{label.Id} {label.Shape} and %{upstream.Id} {upstream.Shape}");
        return new NodeType(logits.Shape, rows.Batched || upstream.Batched, DType.F32);
    }

    public static NodeType Accuracy(Node logits, Node label) => LabelRows(OpKind.Accuracy, logits, label);

    public static NodeType OneHot(Node label, int classes)
    {
        RequireLabel(OpKind.OneHot, label);
        return new NodeType(label.Shape.Append(classes), label.Batched, DType.F32);
    }

    private static NodeType LabelRows(OpKind op, Node logits, Node label)
    {
        RequireAtLeastVector(op, logits, "logits as a vector [classes] or a sequence [T, classes]");
        RequireLabel(op, label);
        if (logits.Shape.Leading != label.Shape)
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, Describe(op) + "(logits [..., classes], targets [...])", logits.Shape, label.Shape);
        return new NodeType(label.Shape, logits.Batched || label.Batched, DType.F32);
    }

    /// <summary>A per-row normalisation of [..., d] keeps its shape; its scale has one value per row.</summary>
    public static NodeType LayerNorm(OpKind op, Node x)
    {
        RequireAtLeastVector(op, x, "a vector [d] or a sequence [..., d]");
        return new NodeType(op == OpKind.LayerNormScale ? x.Shape.Leading : x.Shape, x.Batched, DType.F32);
    }

    /// <summary>x̂ and g of one shape [..., d], r of its rows [...].</summary>
    public static NodeType LayerNormBackward(Node normalised, Node scale, Node g)
    {
        RequireAtLeastVector(OpKind.LayerNormBackward, normalised, "a vector [d] or a sequence [..., d]");
        RequireAtLeastVector(OpKind.LayerNormBackward, g, "a vector [d] or a sequence [..., d]");
        RequireFloat(OpKind.LayerNormBackward, scale, 2);
        if (normalised.Shape != g.Shape || scale.Shape != g.Shape.Leading)
            throw new InvalidOperationException($"layer_norm_backward of %{normalised.Id} {normalised.Shape}, %{scale.Id} {scale.Shape} and %{g.Id} {g.Shape}");
        return new NodeType(g.Shape, normalised.Batched || scale.Batched || g.Batched, DType.F32);
    }

    /// <summary>W [count, d] indexed by ids [...] gives [..., d].</summary>
    public static NodeType Gather(Node table, Node ids)
    {
        RequireRank(OpKind.Gather, table, 2, "a table [count, dimension]");
        if (ids.Type != DType.I32 || ids.Shape.IsScalar)
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, "Embedding", "Tokens", 1, ids.Type == DType.I32 ? "a Label" : "a Tensor");
        return new NodeType(ids.Shape.Append(table.Shape[1]), table.Batched || ids.Batched, DType.F32);
    }

    /// <summary>g [..., d] added into the rows ids [...] of a [count, d] table, over the batch: the unbatched [count, d].</summary>
    public static NodeType ScatterAdd(Node ids, Node g, int count)
    {
        RequireAtLeastVector(OpKind.ScatterAdd, g, "rows [..., dimension]");
        if (ids.Type != DType.I32 || g.Shape.Leading != ids.Shape)
            throw new InvalidOperationException($"scatter_add of %{g.Id} {g.Shape} into rows given by %{ids.Id} {ids.Shape}");
        return new NodeType(Shape.Of(count, g.Shape.Last), false, DType.F32);
    }

    /// <summary>c, a and b of one shape, or scalars that broadcast to the others' shape (torch.where restricted to scalars).</summary>
    public static NodeType Where(Node condition, Node a, Node b)
    {
        RequireFloat(OpKind.Where, condition, 1);
        RequireFloat(OpKind.Where, a, 2);
        RequireFloat(OpKind.Where, b, 3);
        Node[] operands = { condition, a, b };
        Shape shape = operands.Select(o => o.Shape).FirstOrDefault(s => !s.IsScalar) ?? Shape.Scalar;
        if (operands.Any(o => !o.Shape.IsScalar && o.Shape != shape))
            throw new ShapeError(DiagnosticDescriptors.WhereNotBroadcastable, condition.Shape, a.Shape, b.Shape);
        return new NodeType(shape, operands.Any(o => o.Batched), DType.F32);
    }

    /// <summary>Axes dim0 and dim1 of x (each in [0, rank)) swapped.</summary>
    public static NodeType Transpose(Node x, int dim0, int dim1)
    {
        RequireAtLeastVector(OpKind.Transpose, x, "a tensor of rank 2 or more");
        RequireAxis("Transpose", x.Shape, dim0);
        RequireAxis("Transpose", x.Shape, dim1);
        int[] dims = x.Shape.Dimensions.ToArray();
        (dims[dim0], dims[dim1]) = (dims[dim1], dims[dim0]);
        return new NodeType(Shape.Of(dims), x.Batched, DType.F32);
    }

    /// <summary>x's elements under another shape of the same size.</summary>
    public static NodeType Reshape(Node x, Shape shape)
    {
        RequireFloat(OpKind.Reshape, x, 1);
        if (shape.Size != x.Shape.Size || shape.Dimensions.Any(d => d < 1))
            throw new ShapeError(DiagnosticDescriptors.ReshapeSizeMismatch, x.Shape, x.Shape.Size, shape);
        return new NodeType(shape, x.Batched, DType.F32);
    }

    /// <summary>Parts of one rank that agree on every axis but <paramref name="axis"/>, joined along it.</summary>
    public static NodeType Concat(int axis, Node[] parts)
    {
        Node first = parts[0];
        foreach (Node part in parts)
            RequireAtLeastVector(OpKind.Concat, part, "a tensor of rank 1 or more");
        RequireAxis("Concat", first.Shape, axis);
        int length = 0;
        foreach (Node part in parts)
        {
            bool agrees = part.Shape.Rank == first.Shape.Rank
                && Enumerable.Range(0, first.Shape.Rank).All(d => d == axis || part.Shape[d] == first.Shape[d]);
            if (!agrees)
                throw new ShapeError(DiagnosticDescriptors.ConcatShapeMismatch, axis, first.Shape, part.Shape);
            length += part.Shape[axis];
        }
        int[] dims = first.Shape.Dimensions.ToArray();
        dims[axis] = length;
        return new NodeType(Shape.Of(dims), parts.Any(p => p.Batched), DType.F32);
    }

    /// <summary>Elements [start, start + length) of one axis (lowering checks the user's Split; a bad slice here is a compiler bug).</summary>
    public static NodeType Slice(Node x, int axis, int start, int length)
    {
        RequireAtLeastVector(OpKind.Slice, x, "a tensor of rank 1 or more");
        RequireAxis("Split", x.Shape, axis);
        if (start < 0 || length < 1 || start + length > x.Shape[axis])
            throw new InvalidOperationException($"slice [{start}, {start + length}) of axis {axis} of %{x.Id} {x.Shape}");
        int[] dims = x.Shape.Dimensions.ToArray();
        dims[axis] = length;
        return new NodeType(Shape.Of(dims), x.Batched, DType.F32);
    }

    /// <summary>The unbatched [n, n] mask.</summary>
    public static NodeType CausalMask(int n)
    {
        if (n < 1)
            throw new ShapeError(DiagnosticDescriptors.InvalidDimension, n, "CausalMask");
        return new NodeType(Shape.Of(n, n), false, DType.F32);
    }

    /// <summary>An image [C, H, W] gives its receptive fields [OH·OW, C·kh·kw]; the kernel must fit the padded image.</summary>
    public static NodeType Im2Col(Node x, ConvolutionGeometry geometry)
    {
        RequireRank(OpKind.Im2Col, x, 3, "an image [C, H, W]");
        Shape rows = ConvolutionRows(x.Shape, geometry);
        return new NodeType(rows, x.Batched, DType.F32);
    }

    /// <summary>Rows [OH·OW, C·kh·kw] go back into the image [C, H, W] they were read from.</summary>
    public static NodeType Col2Im(Node cols, Shape image, ConvolutionGeometry geometry)
    {
        if (image.Rank != 3 || ConvolutionRows(image, geometry) != cols.Shape)
            throw new InvalidOperationException($"col2im of %{cols.Id} {cols.Shape} into {image}");
        return new NodeType(image, cols.Batched, DType.F32);
    }

    /// <summary>
    /// W [out, C·kh·kw] over an image [C, H, W] gives [out, OH, OW], channels first (an image, so a
    /// Conv2d's output needs no reshape, which would be a copy of the batch).
    /// </summary>
    public static NodeType Convolution(Node weight, Node x, ConvolutionGeometry geometry)
    {
        RequireRank(OpKind.Convolution, weight, 2, "a weight matrix [out, C·kh·kw]");
        RequireRank(OpKind.Convolution, x, 3, "an image [C, H, W]");
        Shape rows = ConvolutionRows(x.Shape, geometry);
        if (weight.Shape[1] != rows[1])
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "convolution weight [out, C·kh·kw] over image [C, H, W]", weight.Shape, x.Shape);
        return new NodeType(ConvolutionOutput(weight.Shape[0], x.Shape, geometry), x.Batched || weight.Batched, DType.F32);
    }

    /// <summary>Wᵀ [C·kh·kw, out] times ȳ [out, OH, OW], added back into the image [C, H, W].</summary>
    public static NodeType ConvolutionInputGrad(Node weight, Node dy, Shape image, ConvolutionGeometry geometry)
    {
        if (weight.Shape.Rank != 2 || image.Rank != 3
            || ConvolutionRows(image, geometry) is var rows && (rows[1] != weight.Shape[1] || dy.Shape != ConvolutionOutput(weight.Shape[0], image, geometry)))
            throw new InvalidOperationException($"convolution_input_grad of %{weight.Id} {weight.Shape} and %{dy.Id} {dy.Shape} into {image}");
        return new NodeType(image, dy.Batched || weight.Batched, DType.F32);
    }

    /// <summary>ȳ [out, OH, OW] times im2col(x) [OH·OW, C·kh·kw] summed over the batch: the unbatched [out, C·kh·kw].</summary>
    public static NodeType ConvolutionWeightGrad(Node dy, Node x, ConvolutionGeometry geometry)
    {
        if (dy.Shape.Rank != 3 || x.Shape.Rank != 3 || dy.Shape != ConvolutionOutput(dy.Shape[0], x.Shape, geometry))
            throw new InvalidOperationException($"convolution_weight_grad of %{dy.Id} {dy.Shape} and %{x.Id} {x.Shape}");
        return new NodeType(Shape.Of(dy.Shape[0], ConvolutionRows(x.Shape, geometry)[1]), false, DType.F32);
    }

    /// <summary>A convolution's output [out, OH, OW] over an image [C, H, W].</summary>
    public static Shape ConvolutionOutput(int outChannels, Shape image, ConvolutionGeometry g) =>
        Shape.Of(outChannels, g.OutputHeight(image[1]), g.OutputWidth(image[2]));

    /// <summary>[OH·OW, C·kh·kw] for an image [C, H, W], or the DSL0130 error naming the sizes.</summary>
    public static Shape ConvolutionRows(Shape image, ConvolutionGeometry g)
    {
        int oh = g.OutputHeight(image[1]), ow = g.OutputWidth(image[2]);
        if (oh < 1 || ow < 1)
            throw new ShapeError(DiagnosticDescriptors.KernelLargerThanInput, g.ReachHeight + "x" + g.ReachWidth, image,
                (image[1] + 2 * g.PadHeight) + "x" + (image[2] + 2 * g.PadWidth));
        // In double: each factor fits int, their products need not fit even long.
        double positions = (double)oh * ow, taps = (double)image[0] * g.KernelHeight * g.KernelWidth;
        if (positions * taps > int.MaxValue)
            throw new ShapeError(DiagnosticDescriptors.TensorTooLarge, "The receptive fields [" + positions + ", " + taps + "] of one example", int.MaxValue);
        return Shape.Of((int)positions, (int)taps);
    }

    /// <summary>An axis of a per-example shape; the batch is never one of them.</summary>
    private static void RequireAxis(string op, Shape shape, int axis)
    {
        if (axis < 0 || axis >= shape.Rank)
            throw ShapeError.AxisOutOfRange(axis, op, shape);
    }

    /// <summary>The op as the user wrote it, for messages: <c>Add</c> is "+".</summary>
    public static string Describe(OpKind op) => OpTable.Of(op).Display;

    private static void RequireFloat(OpKind op, Node x, int position)
    {
        if (x.Type is not (DType.F32 or DType.F64))
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, Describe(op), "a Tensor", position, "a Label");
    }

    private static void RequireScalar(OpKind op, Node x)
    {
        if (!x.Shape.IsScalar)
            throw new ShapeError(DiagnosticDescriptors.NotScalar, "The operand of " + Describe(op), x.Shape);
    }

    private static void RequireLabel(OpKind op, Node x)
    {
        if (x.Type != DType.I32)
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, Describe(op), "a Label", 2, "a Tensor");
    }

    // ---- Issue 22 (ops) ----

    /// <summary>[..., n] gives the index of each row's first maximum, [...].</summary>
    public static NodeType ArgMaxLast(Node x)
    {
        RequireAtLeastVector(OpKind.ArgMaxLast, x, "a tensor of rank 1 or more");
        return new NodeType(x.Shape.Leading, x.Batched, DType.F32);
    }

    /// <summary>[..., n] gives a one-hot mask of each row's first maximum, [..., n].</summary>
    public static NodeType ArgMaxMask(Node x)
    {
        RequireAtLeastVector(OpKind.ArgMaxMask, x, "a tensor of rank 1 or more");
        return new NodeType(x.Shape, x.Batched, DType.F32);
    }

    /// <summary>x [..., n] read at float indices [..., k] of the same leading axes and batching gives [..., k].</summary>
    public static NodeType GatherLast(Node x, Node index)
    {
        RequireAtLeastVector(OpKind.GatherLast, x, "a tensor of rank 1 or more");
        RequireAtLeastVector(OpKind.GatherLast, index, "indices of rank 1 or more");
        if (x.Shape.Leading != index.Shape.Leading || x.Batched != index.Batched)
            throw new InvalidOperationException($"gather_last of %{x.Id} {x.Shape} at %{index.Id} {index.Shape}");
        return new NodeType(index.Shape, x.Batched, DType.F32);
    }

    /// <summary>g [..., k] added into [..., n] at the float indices [..., k] (GatherLast's transpose).</summary>
    public static NodeType ScatterLast(Node index, Node g, int n)
    {
        RequireAtLeastVector(OpKind.ScatterLast, g, "rows [..., k]");
        if (index.Shape != g.Shape || index.Batched != g.Batched || n < 1)
            throw new InvalidOperationException($"scatter_last of %{g.Id} {g.Shape} at %{index.Id} {index.Shape} into {n}");
        return new NodeType(g.Shape.Leading.Append(n), g.Batched, DType.F32);
    }

    // ---- Direct pooling (issue 19) ----

    /// <summary>An image [C, H, W] pooled over the windows of <paramref name="geometry"/>: [C, OH, OW].</summary>
    public static NodeType AvgPool(Node x, ConvolutionGeometry geometry)
    {
        RequireRank(OpKind.AvgPool, x, 3, "an image [C, H, W]");
        return new NodeType(Pooled(x.Shape, geometry), x.Batched, DType.F32);
    }

    /// <summary>The values of an image at the first maximum of each window of the scores (both [C, H, W]): [C, OH, OW].</summary>
    public static NodeType MaxPool(Node scores, Node values, ConvolutionGeometry geometry)
    {
        RequireRank(OpKind.MaxPool, values, 3, "an image [C, H, W]");
        if (scores.Shape != values.Shape || scores.Batched != values.Batched)
            throw new InvalidOperationException($"max_pool of %{values.Id} {values.Shape} by the scores %{scores.Id} {scores.Shape}");
        return new NodeType(Pooled(values.Shape, geometry), values.Batched, DType.F32);
    }

    /// <summary>A pooled gradient [C, OH, OW] spread back to the image [C, H, W] of the scores' (or the node's own) shape.</summary>
    public static NodeType PoolBackward(Node d, Shape image, bool batched, ConvolutionGeometry geometry)
    {
        if (image.Rank != 3 || d.Shape != Pooled(image, geometry) || d.Batched != batched)
            throw new InvalidOperationException($"pool_backward of %{d.Id} {d.Shape} into {image}");
        return new NodeType(image, batched, DType.F32);
    }

    // ---- Adaptive pooling (issue 19) ----

    /// <summary>An image [C, H, W] pooled over PyTorch's adaptive windows: [C, OH, OW].</summary>
    public static NodeType AdaptiveAvgPool(Node x, int outHeight, int outWidth)
    {
        RequireRank(OpKind.AdaptiveAvgPool, x, 3, "an image [C, H, W]");
        return new NodeType(AdaptivePooled(x.Shape, outHeight, outWidth), x.Batched, DType.F32);
    }

    /// <summary>The values of an image at the first maximum of each adaptive window of the scores (both [C, H, W]): [C, OH, OW].</summary>
    public static NodeType AdaptiveMaxPool(Node scores, Node values, int outHeight, int outWidth)
    {
        RequireRank(OpKind.AdaptiveMaxPool, values, 3, "an image [C, H, W]");
        if (scores.Shape != values.Shape || scores.Batched != values.Batched)
            throw new InvalidOperationException($"adaptive_max_pool of %{values.Id} {values.Shape} by the scores %{scores.Id} {scores.Shape}");
        return new NodeType(AdaptivePooled(values.Shape, outHeight, outWidth), values.Batched, DType.F32);
    }

    /// <summary>An adaptively pooled gradient [C, OH, OW] spread back to the image [C, H, W].</summary>
    public static NodeType AdaptivePoolBackward(Node d, Shape image, bool batched)
    {
        if (image.Rank != 3 || d.Shape.Rank != 3 || d.Shape[0] != image[0] || d.Batched != batched)
            throw new InvalidOperationException($"adaptive_pool_backward of %{d.Id} {d.Shape} into {image}");
        return new NodeType(image, batched, DType.F32);
    }

    private static Shape AdaptivePooled(Shape image, int outHeight, int outWidth)
    {
        if (outHeight < 1 || outWidth < 1)
            throw new InvalidOperationException($"adaptive pooling of {image} to {outHeight}x{outWidth}");
        return Shape.Of(image[0], outHeight, outWidth);
    }

    /// <summary>[C, OH, OW] for an image [C, H, W], or the DSL0130 error naming the sizes.</summary>
    private static Shape Pooled(Shape image, ConvolutionGeometry geometry)
    {
        ConvolutionRows(image, geometry);
        return Shape.Of(image[0], geometry.OutputHeight(image[1]), geometry.OutputWidth(image[2]));
    }

    private static void RequireAtLeastVector(OpKind op, Node x, string what)
    {
        if (x.Type != DType.F32)
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, Describe(op), "a Tensor", 1, "a Label");
        if (x.Shape.IsScalar)
            throw new ShapeError(DiagnosticDescriptors.BadRank, Describe(op), what, x.Shape);
    }

    private static void RequireRank(OpKind op, Node x, int rank, string what)
    {
        if (x.Type != DType.F32)
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, Describe(op), "a Tensor", 1, "a Label");
        if (x.Shape.Rank != rank)
            throw new ShapeError(DiagnosticDescriptors.BadRank, Describe(op), what, x.Shape);
    }
}
