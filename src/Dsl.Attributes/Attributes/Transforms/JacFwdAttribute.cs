using System;

namespace Dsl;

/// <summary>
/// JAX's <c>jacfwd</c>: the Jacobian built column by column, one forward-mode pass per input.
/// </summary>
/// <example>
/// <code>
/// [JacFwd(nameof(Field))] public static partial double[,] FieldJacobian(double[] p);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class JacFwdAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public JacFwdAttribute(string function) : base(function)
    {
    }
}
