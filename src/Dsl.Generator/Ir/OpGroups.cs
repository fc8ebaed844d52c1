namespace Dsl.Generator.Ir;

/// <summary>Classifications of <see cref="OpKind"/> that passes and emitters ask about.</summary>
internal static class OpGroups
{
    public static bool IsLeaf(OpKind op) => op is OpKind.Input or OpKind.LabelInput or OpKind.Parameter or OpKind.Constant or OpKind.LossSeed
        or OpKind.Variable or OpKind.Length;

    /// <summary>
    /// The ops only the transforms' scalar functions use (the catalogue's last section, from
    /// <see cref="OpKind.Variable"/> on); model graphs never contain them.
    /// </summary>
    public static bool IsScalarFunctionOp(OpKind op) => op >= OpKind.Variable;

    /// <summary>Comparisons and logic: bool results, no derivative.</summary>
    public static bool IsComparison(OpKind op) => op is OpKind.Less or OpKind.LessEqual or OpKind.Greater
        or OpKind.GreaterEqual or OpKind.Equal or OpKind.NotEqual or OpKind.And or OpKind.Or or OpKind.Not;

    public static bool IsUnary(OpKind op) => op is OpKind.Negate or OpKind.Exp or OpKind.Log or OpKind.Tanh
        or OpKind.Sigmoid or OpKind.Relu or OpKind.Gelu or OpKind.Step or OpKind.GeluDerivative;

    public static bool IsBinary(OpKind op) => op is OpKind.Add or OpKind.Subtract or OpKind.Multiply or OpKind.Divide;

    /// <summary>
    /// Ops computed one element at a time, which fusion may chain into one loop. Dropout is one:
    /// its mask at an element is a pure function of (seed, site, step, position), computed in the loop.
    /// </summary>
    public static bool IsElementwise(OpKind op) => IsUnary(op) || IsBinary(op) || op is OpKind.Broadcast or OpKind.Where or OpKind.Dropout;


    /// <summary>Ops that only move elements (their derivative is the inverse movement).</summary>
    public static bool IsMovement(OpKind op) => op is OpKind.Transpose or OpKind.Reshape or OpKind.Concat or OpKind.Slice;

    /// <summary>A non-leaf op without inputs: a compile-time constant tensor the program computes.</summary>
    public static bool IsGenerator(OpKind op) => op == OpKind.CausalMask;

    public static bool IsReduce(OpKind op) => op is OpKind.Sum or OpKind.SumLast or OpKind.SumLeading or OpKind.BatchSum;

    public static bool IsLinear(OpKind op) => op is OpKind.Linear or OpKind.LinearTranspose or OpKind.OuterBatchSum or OpKind.MatMul;

    public static bool IsRowwise(OpKind op) => op is OpKind.Softmax or OpKind.LogSoftmax or OpKind.CrossEntropy or OpKind.CrossEntropyGrad or OpKind.OneHot or OpKind.Accuracy;

    /// <summary>Ops whose output carries no gradient (masks, indices, metrics).</summary>
    public static bool IsNonDifferentiable(OpKind op) => op is OpKind.Step or OpKind.OneHot or OpKind.Accuracy or OpKind.LabelInput or OpKind.CausalMask;
}
