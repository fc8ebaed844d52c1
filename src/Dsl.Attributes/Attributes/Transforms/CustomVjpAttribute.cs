using System;

namespace Dsl;

/// <summary>
/// Marks the reverse-mode rule of a <see cref="DifferentiableAttribute">[Differentiable]</see>
/// function, as JAX's <c>custom_vjp</c>: wherever reverse mode meets the function (as the source of
/// a <see cref="GradAttribute">[Grad]</see>, or called inside another differentiated function) it
/// inlines this rule instead of differentiating the function's body, which is then only called.
/// </summary>
/// <remarks>
/// <para>
/// The rule is a <c>static</c> method of the same type that takes the function's parameters, then
/// its result, then the result's cotangent, and returns the cotangent of each <c>double</c> or
/// <c>float</c> parameter (an array for an array parameter, a tuple for several; <c>int</c>
/// parameters get none). The function must return one <c>double</c> or <c>float</c>.
/// </para>
/// <para>
/// Use it for numerical stability (a log-sum-exp, a norm that is safe at 0), or to clip or stop a
/// gradient. The rule's body is read like a [Differentiable] function's and inlined into the
/// derivative, so a gradient of a gradient differentiates the rule in turn. Forward mode
/// (<see cref="JvpAttribute">[Jvp]</see>, <see cref="JacFwdAttribute">[JacFwd]</see>,
/// <see cref="HessianAttribute">[Hessian]</see>) cannot use a reverse rule, as in JAX: give the
/// function a <see cref="CustomJvpAttribute">[CustomJvp]</see> for those.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Differentiable] public static double SafeSqrt(double x) => Math.Sqrt(x);
///
/// [CustomVjp(nameof(SafeSqrt))]
/// public static double SafeSqrtVjp(double x, double result, double cotangent) =>
///     result > 0 ? cotangent / (2 * result) : 0;   // 0 at 0 instead of infinity
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomVjpAttribute : Attribute
{
    /// <summary>Makes this method the reverse-mode rule of the function named <paramref name="function"/>.</summary>
    /// <param name="function">A [Differentiable] function of the same type, best written <c>nameof(F)</c>.</param>
    public CustomVjpAttribute(string function) => Function = function;

    /// <summary>The name of the function this rule differentiates.</summary>
    public string Function { get; }
}
