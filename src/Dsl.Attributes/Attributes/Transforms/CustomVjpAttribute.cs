using System;

namespace Dsl;

/// <summary>
/// Gives a <see cref="DifferentiableAttribute">[Differentiable]</see> function a reverse-mode rule
/// of its own, as JAX's <c>custom_vjp</c>: reverse mode calls the rule instead of differentiating
/// the body. The rule takes the function's parameters and then the result's cotangent, and returns
/// the cotangent of each parameter (a tuple when there are several).
/// </summary>
/// <remarks>
/// Use it for numerical stability (a log-sum-exp, a safe norm) or to clip or stop gradients. A rule
/// that is itself <c>[Differentiable]</c> can be differentiated again; otherwise a second
/// derivative through it is a compile error.
/// </remarks>
/// <example>
/// <code>
/// [Differentiable, CustomVjp(nameof(SafeSqrtVjp))]
/// public static double SafeSqrt(double x) => Math.Sqrt(x);
/// public static double SafeSqrtVjp(double x, double g) => x &gt; 0 ? g / (2 * Math.Sqrt(x)) : 0;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomVjpAttribute : Attribute
{
    /// <summary>Names the rule.</summary>
    /// <param name="rule">A static method of the same type, best written <c>nameof(FVjp)</c>.</param>
    public CustomVjpAttribute(string rule) => Rule = rule;

    /// <summary>The name of the method that computes the cotangents.</summary>
    public string Rule { get; }
}
