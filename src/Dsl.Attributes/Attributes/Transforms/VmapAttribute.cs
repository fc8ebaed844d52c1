using System;

namespace Dsl;

/// <summary>
/// JAX's <c>vmap</c>: the function applied to every element of a batch. A parameter declared one
/// level deeper than the source's (<c>double[]</c> for <c>double</c>, <c>double[][]</c> for
/// <c>double[]</c>) is mapped over; one declared as in the source is shared by every element (JAX's
/// <c>in_axes=None</c>). The results are batched the same way.
/// </summary>
/// <example>
/// <code>
/// [Vmap(nameof(DF))] public static partial double[] DFBatch(double[] xs);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class VmapAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public VmapAttribute(string function) : base(function)
    {
    }
}
