using System;

namespace Dsl;

/// <summary>
/// JAX's <c>vjp</c>: the function's value and the pull-back of a cotangent of its result onto the
/// parameters named by <see cref="TransformAttribute.WithRespectTo"/>, in one reverse-mode pass.
/// The method takes the source's parameters, then the result's cotangent, and returns
/// <c>(value, cotangent...)</c>; a source that returns a tuple takes a cotangent per element and
/// returns its values flat.
/// </summary>
/// <example>
/// <code>
/// [Vjp(nameof(Field))] public static partial (double[] Value, double[] Cotangent) FieldPullback(double[] p, double[] ct);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class VjpAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public VjpAttribute(string function) : base(function)
    {
    }
}
