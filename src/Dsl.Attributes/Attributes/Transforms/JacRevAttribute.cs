using System;

namespace Dsl;

/// <summary>
/// JAX's <c>jacrev</c>: the Jacobian built row by row, one reverse-mode pass per output.
/// </summary>
/// <example>
/// <code>
/// [JacRev(nameof(Field))] public static partial double[,] FieldJacobian(double[] p);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class JacRevAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public JacRevAttribute(string function) : base(function)
    {
    }
}
