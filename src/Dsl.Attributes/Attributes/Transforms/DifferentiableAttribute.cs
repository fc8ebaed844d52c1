using System;

namespace Dsl;

/// <summary>
/// Marks a plain C# function the generator may differentiate, as JAX differentiates a Python
/// function: its body is read at build time and the functions derived from it by
/// <see cref="GradAttribute"/>, <see cref="JvpAttribute"/> and the like are written as C#.
/// </summary>
/// <remarks>
/// The body may use <c>double</c>, <c>float</c>, arrays and spans of them, <c>int</c> indices and
/// tuples (as parameters, returned, deconstructed, held in locals); locals, assignments, <c>if</c>/<c>else</c>,
/// the ternary, <c>for</c> loops, <c>Math</c>/<c>MathF</c> functions and calls to other
/// differentiable or derived functions. Anything else is a compile error naming the construct.
/// The function itself stays ordinary C#. A function with a <see cref="CustomVjpAttribute"/> or
/// <see cref="CustomJvpAttribute"/> rule is not differentiated at all: its body is only called and
/// the rule gives its derivative.
/// </remarks>
/// <example>
/// <code>
/// [Differentiable] public static double F(double x) => x * x + 2 * x + 1;
/// [Grad(nameof(F))] public static partial double DF(double x);   // DF(3) == 8
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
