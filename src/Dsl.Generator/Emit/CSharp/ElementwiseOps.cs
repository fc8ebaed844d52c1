using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// The C# text of each element-wise op, as a scalar <c>float</c> expression and as a
/// <c>Vector256&lt;float&gt;</c> expression (a table, like tinygrad's <c>code_for_op</c>).
/// </summary>
/// <remarks>
/// Dropout's operands are (x, its site's <c>DropoutMask</c> local, the element's stream position).
/// A tile is its operand: the loop reads that at the tiled position.
/// </remarks>
internal static class ElementwiseOps
{
    private const string V = TypeNames.Vector256;
    private const string Simd = TypeNames.SimdMath;

    public static string Scalar(OpKind op, string[] a) => op switch
    {
        OpKind.Negate => $"-{a[0]}",
        OpKind.Exp => $"{TypeNames.MathF}.Exp({a[0]})",
        OpKind.Log => $"{TypeNames.MathF}.Log({a[0]})",
        OpKind.Tanh => $"{Simd}.Tanh({a[0]})",
        OpKind.Sigmoid => $"{Simd}.Sigmoid({a[0]})",
        OpKind.Relu => $"{a[0]} > 0f ? {a[0]} : 0f",
        OpKind.Gelu => $"{Simd}.Gelu({a[0]})",
        OpKind.Step => $"{a[0]} > 0f ? 1f : 0f",
        OpKind.GeluDerivative => $"{Simd}.GeluDerivative({a[0]})",
        OpKind.Add => $"{a[0]} + {a[1]}",
        OpKind.Subtract => $"{a[0]} - {a[1]}",
        OpKind.Multiply => $"{a[0]} * {a[1]}",
        OpKind.Divide => $"{a[0]} / {a[1]}",
        OpKind.Broadcast or OpKind.Tile => a[0],
        OpKind.Dropout => $"{a[1]}.Apply({a[0]}, {a[2]})",
        OpKind.Where => $"{a[0]} != 0f ? {a[1]} : {a[2]}",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an element-wise op"),
    };

    public static string Vector(OpKind op, string[] a) => op switch
    {
        OpKind.Negate => $"-{a[0]}",
        OpKind.Exp => $"{V}.Exp({a[0]})",
        OpKind.Log => $"{V}.Log({a[0]})",
        OpKind.Tanh => $"{Simd}.Tanh({a[0]})",
        OpKind.Sigmoid => $"{Simd}.Sigmoid({a[0]})",
        OpKind.Relu => $"{V}.Max({a[0]}, {V}<float>.Zero)",
        OpKind.Gelu => $"{Simd}.Gelu({a[0]})",
        OpKind.Step => $"{V}.ConditionalSelect({V}.GreaterThan({a[0]}, {V}<float>.Zero), {V}<float>.One, {V}<float>.Zero)",
        OpKind.GeluDerivative => $"{Simd}.GeluDerivative({a[0]})",
        OpKind.Add => $"{a[0]} + {a[1]}",
        OpKind.Subtract => $"{a[0]} - {a[1]}",
        OpKind.Multiply => $"{a[0]} * {a[1]}",
        OpKind.Divide => $"{a[0]} / {a[1]}",
        OpKind.Broadcast or OpKind.Tile => a[0],
        OpKind.Dropout => $"{a[1]}.Apply({a[0]}, {a[2]})",
        OpKind.Where => $"{V}.ConditionalSelect({V}.Equals({a[0]}, {V}<float>.Zero), {a[2]}, {a[1]})",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an element-wise op"),
    };
}
