using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

/// <summary>
/// A vector-Jacobian product: given the builder, a primal node and the cotangent of its output,
/// the cotangent of each input (null where the input gets none). Rules build IR with the same
/// builder as the forward pass, so the backward graph is fused and emitted like any other.
/// </summary>
internal delegate int?[] Vjp(GraphBuilder g, Node node, int cotangent);

/// <summary>
/// The reverse-mode rule of every op, one method per op in files by family (Unary, Binary,
/// Reductions, Linear, Rowwise), looked up here. Leaves have no rule.
/// </summary>
internal static partial class VjpRules
{
    /// <summary>The rule for <paramref name="op"/>; throws for a leaf, which has nothing to differentiate.</summary>
    public static Vjp For(OpKind op) => op switch
    {
        OpKind.Negate => Negate,
        OpKind.Exp => Exp,
        OpKind.Log => Log,
        OpKind.Tanh => Tanh,
        OpKind.Sigmoid => Sigmoid,
        OpKind.Relu => Relu,
        OpKind.Gelu => Gelu,
        OpKind.Step => NoGradient,
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
        OpKind.CausalMask => NoGradient,
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
        OpKind.OneHot => NoGradient,
        OpKind.Accuracy => NoGradient,
        OpKind.Sin or OpKind.Cos or OpKind.Tan or OpKind.Asin or OpKind.Acos or OpKind.Atan
            or OpKind.Sinh or OpKind.Cosh or OpKind.Sqrt or OpKind.Abs or OpKind.Log10 => ScalarUnary,
        OpKind.Pow => Pow,
        OpKind.Atan2 => Atan2,
        OpKind.Max or OpKind.Min => Extremum,
        OpKind.Select => Select,
        OpKind.Convert => Convert,
        OpKind.Sign or OpKind.Floor or OpKind.Ceiling or OpKind.Round or OpKind.Remainder => NoGradient,
        _ when OpGroups.IsComparison(op) => NoGradient,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "a leaf has no derivative rule"),
    };

    /// <summary>For masks, one-hots and metrics: piecewise constant, so no input gets a cotangent.</summary>
    private static int?[] NoGradient(GraphBuilder g, Node node, int cotangent) => new int?[node.Inputs.Count];
}
