using System;

namespace Dsl;

/// <summary>
/// Gives a <see cref="DifferentiableAttribute">[Differentiable]</see> function a forward-mode rule
/// of its own, as JAX's <c>custom_jvp</c>: forward mode calls the rule instead of differentiating
/// the body. The rule takes the function's parameters and then one tangent per parameter, and
/// returns the tangent of the result.
/// </summary>
/// <example>
/// <code>
/// [Differentiable, CustomJvp(nameof(SoftplusJvp))]
/// public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
/// public static double SoftplusJvp(double x, double dx) => dx / (1 + Math.Exp(-x));
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomJvpAttribute : Attribute
{
    /// <summary>Names the rule.</summary>
    /// <param name="rule">A static method of the same type, best written <c>nameof(FJvp)</c>.</param>
    public CustomJvpAttribute(string rule) => Rule = rule;

    /// <summary>The name of the method that computes the tangent.</summary>
    public string Rule { get; }
}
