using System;

namespace Dsl;

/// <summary>
/// JAX's <c>value_and_grad</c>: the function's value and its gradient in one pass, returned as a
/// tuple <c>(value, gradient...)</c>.
/// </summary>
/// <example>
/// <code>
/// [ValueAndGrad(nameof(Loss), WithRespectTo = "w")]
/// public static partial (double Value, double[] Grad) LossAndGrad(double[] w, double[] x, double y);
///
/// // has_aux, as JAX returns it: ((value, aux), gradient).
/// [ValueAndGrad(nameof(LossWithStats), HasAux = true)]
/// public static partial ((double Loss, double Accuracy) Value, double[] Grad) LossAndGradWithStats(double[] w, double[] x, double y);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ValueAndGradAttribute : TransformAttribute
{
    /// <summary>Derives this method from the function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function, best written <c>nameof(F)</c>.</param>
    public ValueAndGradAttribute(string function) : base(function)
    {
    }

    /// <summary>
    /// JAX's <c>has_aux</c>: the source returns a pair <c>(value, aux)</c>, a <c>double</c> or
    /// <c>float</c> value and auxiliary data of any supported type (a tuple for several). Only the
    /// value is differentiated; the method returns <c>((value, aux), gradient)</c> as JAX does
    /// (with several parameters, <c>((value, aux), gradient1, gradient2, ...)</c>), the aux as the
    /// source computed it.
    /// </summary>
    public bool HasAux { get; set; }
}
