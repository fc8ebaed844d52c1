using System;

namespace Dsl;

/// <summary>
/// JAX's <c>jvp</c>: the function's value and its directional derivative along tangents of the
/// parameters named by <see cref="TransformAttribute.WithRespectTo"/>, in one forward-mode pass.
/// The method takes the source's parameters, then one tangent per differentiated parameter, and
/// returns <c>(value, tangent)</c>; a source that returns a tuple gives its elements flat, values
/// then tangents.
/// </summary>
/// <example>
/// <code>
/// [Jvp(nameof(Field))] public static partial (double[] Value, double[] Tangent) FieldTangent(double[] p, double[] v);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class JvpAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public JvpAttribute(string function) : base(function)
    {
    }
}
