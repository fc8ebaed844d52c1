using System;

namespace Dsl;

/// <summary>
/// JAX's <c>grad</c>: the gradient of a function with a scalar result with respect to the
/// parameters named by <see cref="TransformAttribute.WithRespectTo"/> (default the first),
/// computed in reverse mode. Several parameters give a tuple of gradients, in order.
/// </summary>
/// <example>
/// <code>
/// [Grad(nameof(F))] public static partial double DF(double x);
/// [Grad(nameof(Loss), WithRespectTo = "w")] public static partial double[] LossGrad(double[] w, double[] x, double y);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GradAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public GradAttribute(string function) : base(function)
    {
    }
}
