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
}
