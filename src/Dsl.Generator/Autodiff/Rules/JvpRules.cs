using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

/// <summary>
/// A Jacobian-vector product: given the builder, a primal node and the tangents of its inputs
/// (null where an input's tangent is zero), the tangent of its output, or null when it is zero.
/// </summary>
internal delegate int? Jvp(GraphBuilder g, Node node, int?[] tangents);

/// <summary>
/// The forward-mode rule of every op, written beside its reverse-mode rule in the files by family
/// (Unary, Binary, Reductions, Linear, Rowwise) and looked up here. Leaves have no rule.
/// </summary>
internal static partial class JvpRules
{
    /// <summary>The rule for <paramref name="op"/>; throws for a leaf, which has nothing to differentiate.</summary>
    public static Jvp For(OpKind op) => op switch
    {
        OpKind.Negate => Negate,
        OpKind.Exp => Exp,
        OpKind.Log => Log,
        OpKind.Tanh => Tanh,
        OpKind.Sigmoid => Sigmoid,
        OpKind.Relu => Relu,
        OpKind.Gelu => Gelu,
        OpKind.Step => Zero,
        OpKind.GeluDerivative => GeluDerivative,
        OpKind.Add => Add,
        OpKind.Subtract => Subtract,
        OpKind.Multiply => Multiply,
        OpKind.Divide => Divide,
        OpKind.Broadcast => Broadcast,
        OpKind.Where => Where,
        OpKind.Transpose => Transpose,
        OpKind.Reshape => Reshape,
        OpKind.Concat => Concat,
        OpKind.Slice => Slice,
        OpKind.CausalMask => Zero,
        OpKind.ExpandLast => ExpandLast,
        OpKind.Tile => Tile,
        OpKind.Sum => Sum,
        OpKind.SumLast => SumLast,
        OpKind.SumLeading => SumLeading,
        OpKind.BatchSum => BatchSum,
        OpKind.Linear => Linear,
        OpKind.LinearTranspose => LinearTranspose,
        OpKind.OuterBatchSum => OuterBatchSum,
        OpKind.MatMul => MatMul,
        OpKind.Softmax => Softmax,
        OpKind.CausalSoftmax => Softmax,
        OpKind.SplitHeads => SplitHeads,
        OpKind.MergeHeads => MergeHeads,
        OpKind.LogSoftmax => LogSoftmax,
        OpKind.CrossEntropy => CrossEntropy,
        OpKind.CrossEntropyGrad => CrossEntropyGrad,
        OpKind.LayerNorm => LayerNorm,
        OpKind.Dropout => Dropout,
        OpKind.LayerNormScale => LayerNormScale,
        OpKind.LayerNormBackward => LayerNormBackward,
        OpKind.Gather => Gather,
        OpKind.ScatterAdd => ScatterAdd,
        OpKind.OneHot => Zero,
        OpKind.Accuracy => Zero,
        OpKind.Sin or OpKind.Cos or OpKind.Tan or OpKind.Asin or OpKind.Acos or OpKind.Atan
            or OpKind.Sinh or OpKind.Cosh or OpKind.Sqrt or OpKind.Abs or OpKind.Log10 => ScalarUnary,
        OpKind.Pow => Pow,
        OpKind.Atan2 => Atan2,
        OpKind.Max or OpKind.Min => Extremum,
        OpKind.Select => Select,
        OpKind.Convert => Convert,
        OpKind.Sign or OpKind.Floor or OpKind.Ceiling or OpKind.Round or OpKind.Remainder => Zero,
        _ when OpGroups.IsComparison(op) => Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "a leaf has no derivative rule"),
    };

    /// <summary>Masks, one-hots and metrics are piecewise constant: their tangent is zero.</summary>
    private static int? Zero(GraphBuilder g, Node node, int?[] tangents) => null;

    /// <summary>Applies <paramref name="rule"/> to a tangent that is not zero.</summary>
    private static int? Map(int? tangent, Func<int, int> rule) => tangent is int t ? rule(t) : null;

    /// <summary>The sum of two tangents, either of which may be zero.</summary>
    private static int? Sum(GraphBuilder g, int? a, int? b) =>
        a is int x ? (b is int y ? g.Add(x, y) : x) : b;
}
