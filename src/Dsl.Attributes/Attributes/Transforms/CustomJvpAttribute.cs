using System;

namespace Dsl;

/// <summary>
/// Marks the forward-mode rule of a <see cref="DifferentiableAttribute">[Differentiable]</see>
/// function, as JAX's <c>custom_jvp</c>: wherever a transform meets the function it uses this rule
/// instead of differentiating the function's body, which is then only called.
/// </summary>
/// <remarks>
/// <para>
/// The rule is a <c>static</c> method of the same type that takes the function's parameters, then
/// its result, then a tangent per <c>double</c> or <c>float</c> parameter (an array for an array
/// parameter), and returns the tangent of the result. The function must return one <c>double</c>
/// or <c>float</c>.
/// </para>
/// <para>
/// The rule must be linear in the tangents, as JAX requires: reverse mode, when the function has
/// no <see cref="CustomVjpAttribute">[CustomVjp]</see>, transposes it, so one JVP rule serves
/// <see cref="GradAttribute">[Grad]</see>, <see cref="JvpAttribute">[Jvp]</see> and
/// <see cref="HessianAttribute">[Hessian]</see> alike. The rule's body is read like a
/// [Differentiable] function's and inlined into the derivative, so it can be differentiated again.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Differentiable] public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));
///
/// [CustomJvp(nameof(Softplus))]
/// public static double SoftplusJvp(double x, double result, double dx) => dx / (1 + Math.Exp(-x));
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomJvpAttribute : Attribute
{
    /// <summary>Makes this method the forward-mode rule of the function named <paramref name="function"/>.</summary>
    /// <param name="function">A [Differentiable] function of the same type, best written <c>nameof(F)</c>.</param>
    public CustomJvpAttribute(string function) => Function = function;

    /// <summary>The name of the function this rule differentiates.</summary>
    public string Function { get; }
}
