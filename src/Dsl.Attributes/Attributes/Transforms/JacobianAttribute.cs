using System;

namespace Dsl;

/// <summary>
/// JAX's <c>jacobian</c>: the matrix <c>J[i, j] = ∂f_i/∂x_j</c> of a function from an array (or
/// scalar) to an array (or scalar), returned as <c>double[,]</c>. Rows are computed by reverse mode
/// when there are fewer outputs than inputs, columns by forward mode otherwise (always rows when
/// the function calls one with only a <see cref="CustomVjpAttribute"/> rule); use
/// <see cref="JacRevAttribute"/> or <see cref="JacFwdAttribute"/> to choose.
/// </summary>
/// <example>
/// <code>
/// [Jacobian(nameof(Field))] public static partial double[,] FieldJacobian(double[] p);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class JacobianAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public JacobianAttribute(string function) : base(function)
    {
    }
}
