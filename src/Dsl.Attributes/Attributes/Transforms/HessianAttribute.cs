using System;

namespace Dsl;

/// <summary>
/// JAX's <c>hessian</c>: the matrix of second derivatives of a function with a scalar result,
/// computed as JAX does, forward mode over reverse mode (<c>jacfwd(grad(f))</c>).
/// </summary>
/// <example>
/// <code>
/// [Hessian(nameof(Energy))] public static partial double[,] EnergyHessian(double[] p);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HessianAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public HessianAttribute(string function) : base(function)
    {
    }
}
