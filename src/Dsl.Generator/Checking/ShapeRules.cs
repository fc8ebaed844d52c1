using System;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;

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

    public static NodeType BatchSum(Node x)
    {
        if (!x.Batched)
            throw new InvalidOperationException($"batch_sum of the unbatched %{x.Id}");
        return new NodeType(x.Shape, false, DType.F32);
    }

    /// <summary>W[O, I] times x[I] gives [O].</summary>
    public static NodeType Linear(Node weight, Node x)
    {
        RequireRank(OpKind.Linear, weight, 2, "a weight matrix [out, in]");
        RequireRank(OpKind.Linear, x, 1, "a vector [in]");
        if (weight.Shape[1] != x.Shape[0])
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "Dense weight [out, in] times input [in]", weight.Shape, x.Shape);
        return new NodeType(Shape.Of(weight.Shape[0]), x.Batched || weight.Batched, DType.F32);
    }

    /// <summary>Wᵀ[I, O] times g[O] gives [I].</summary>
    public static NodeType LinearTranspose(Node weight, Node g)
    {
        RequireRank(OpKind.LinearTranspose, weight, 2, "a weight matrix [out, in]");
        RequireRank(OpKind.LinearTranspose, g, 1, "a vector [out]");
        if (weight.Shape[0] != g.Shape[0])
            throw new ShapeError(DiagnosticDescriptors.ShapeMismatch, "transposed weight times vector", weight.Shape, g.Shape);
        return new NodeType(Shape.Of(weight.Shape[1]), g.Batched || weight.Batched, DType.F32);
    }

    /// <summary>a[O] ⊗ b[I] summed over the batch gives the unbatched [O, I].</summary>
    public static NodeType OuterBatchSum(Node a, Node b)
    {
        RequireRank(OpKind.OuterBatchSum, a, 1, "a vector");
        RequireRank(OpKind.OuterBatchSum, b, 1, "a vector");
        return new NodeType(Shape.Of(a.Shape[0], b.Shape[0]), false, DType.F32);
    }

    public static NodeType Rowwise(OpKind op, Node x)
    {
        RequireRank(op, x, 1, "a vector");
        return new NodeType(x.Shape, x.Batched, DType.F32);
    }

    public static NodeType CrossEntropy(Node logits, Node label)
    {
        RequireRank(OpKind.CrossEntropy, logits, 1, "logits as a vector [classes]");
        RequireLabel(OpKind.CrossEntropy, label);
        return new NodeType(Shape.Scalar, logits.Batched || label.Batched, DType.F32);
    }

    public static NodeType Accuracy(Node logits, Node label)
    {
        RequireRank(OpKind.Accuracy, logits, 1, "logits as a vector [classes]");
        RequireLabel(OpKind.Accuracy, label);
        return new NodeType(Shape.Scalar, logits.Batched || label.Batched, DType.F32);
    }

    public static NodeType OneHot(Node label, int classes)
    {
        RequireLabel(OpKind.OneHot, label);
        return new NodeType(Shape.Of(classes), label.Batched, DType.F32);
    }

    /// <summary>The op as the user wrote it, for messages: <c>Add</c> is "+".</summary>
    public static string Describe(OpKind op) => op switch
    {
        OpKind.Add => "'+'",
        OpKind.Subtract => "'-'",
        OpKind.Multiply => "'*'",
        OpKind.Divide => "'/'",
        OpKind.Linear => "Dense",
        _ => op.ToString(),
    };

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

    private static void RequireRank(OpKind op, Node x, int rank, string what)
    {
        if (x.Type != DType.F32)
            throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, Describe(op), "a Tensor", 1, "a Label");
        if (x.Shape.Rank != rank)
            throw new ShapeError(DiagnosticDescriptors.BadRank, Describe(op), what, x.Shape);
    }
}
