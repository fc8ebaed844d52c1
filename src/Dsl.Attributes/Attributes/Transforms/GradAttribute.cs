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
///
/// // has_aux: the source returns (value, aux); the aux comes back unchanged, after the gradient.
/// [Differentiable] public static (double Loss, double Accuracy) LossWithStats(double[] w, double[] x, double y) => ...;
/// [Grad(nameof(LossWithStats), HasAux = true)]
/// public static partial (double[] Grad, double Accuracy) LossGradWithStats(double[] w, double[] x, double y);
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

    /// <summary>
    /// JAX's <c>has_aux</c>: the source returns a pair <c>(value, aux)</c>, a <c>double</c> or
    /// <c>float</c> value and auxiliary data of any supported type (a tuple for several). Only the
    /// value is differentiated; the method returns <c>(gradient, aux)</c> (with several
    /// parameters, <c>(gradient1, gradient2, ..., aux)</c>), the aux as the source computed it.
    /// </summary>
    public bool HasAux { get; set; }
}
