using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// The OpenCL C text of each element-wise op as a scalar <c>float</c> expression (the table
/// <see cref="CSharp.ElementwiseOps"/> is for C#). Built-ins are OpenCL C 1.2's, in full
/// precision: no native_ or half_ variants, no double.
/// </summary>
internal static class OpenClOps
{
    public static string Scalar(OpKind op, string[] a) => op switch
    {
        OpKind.Negate => Negate(a[0]),
        OpKind.Exp => $"exp({a[0]})",
        OpKind.Log => $"log({a[0]})",
        OpKind.Tanh => $"tanh({a[0]})",
        OpKind.Sigmoid => $"1.0f / (1.0f + exp({Negate(a[0])}))",
        OpKind.Relu => $"{a[0]} > 0.0f ? {a[0]} : 0.0f",
        OpKind.Gelu => $"dsl_gelu({a[0]})",
        OpKind.Step => $"{a[0]} > 0.0f ? 1.0f : 0.0f",
        OpKind.GeluDerivative => $"dsl_gelu_derivative({a[0]})",
        OpKind.Add => $"{a[0]} + {a[1]}",
        OpKind.Subtract => $"{a[0]} - {a[1]}",
        OpKind.Multiply => $"{a[0]} * {a[1]}",
        OpKind.Divide => $"{a[0]} / {a[1]}",
        OpKind.Broadcast or OpKind.Tile => a[0], // a tile's operand is read at the tiled position
        // (x, then dsl_dropout's position, site, step, seed, threshold and scale arguments)
        OpKind.Dropout => $"dsl_dropout({string.Join(", ", a)})",
        OpKind.Where => $"{a[0]} != 0.0f ? {a[1]} : {a[2]}",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an element-wise op"),
    };

    /// <summary>Operands are locals or literals; a negative literal is parenthesised so "-" never becomes "--".</summary>
    private static string Negate(string operand) => operand.StartsWith("-", StringComparison.Ordinal) ? $"-({operand})" : "-" + operand;

    /// <summary>Whether an op calls a helper function of <see cref="Library.MathFunctions"/>.</summary>
    public static bool NeedsGelu(OpKind op) => op is OpKind.Gelu or OpKind.GeluDerivative;

    /// <summary>Whether an op calls <see cref="Library.DropoutKernels.Functions"/>' <c>dsl_dropout</c>.</summary>
    public static bool NeedsDropout(OpKind op) => op == OpKind.Dropout;
}
