using System;

namespace Dsl;

/// <summary>
/// Gives the static, per-example shape of a <see cref="Tensor"/> parameter: the shape of ONE
/// example, without the batch dimension (only the batch size is a run-time value).
/// </summary>
/// <example>
/// <code>
/// [Forward]
/// public Tensor Forward([Shape(10)] Tensor x) => Output(x);         // x is a vector of 10
///
/// [Forward]
/// public Tensor Forward([Shape(28, 28)] Tensor image) => ...;       // one 28x28 image
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ShapeAttribute : Attribute
{
    /// <summary>Creates the attribute from the per-example dimensions, outermost first.</summary>
    /// <param name="dimensions">The size of each axis; none means a scalar.</param>
    public ShapeAttribute(params int[] dimensions)
    {
        // Attribute arguments are compile-time constants that the generator reads (and checks)
        // from syntax; here we only guard against a null array when read through reflection.
        Dimensions = dimensions ?? Array.Empty<int>();
    }

    /// <summary>The size of each axis of one example, outermost first (row-major).</summary>
    public int[] Dimensions { get; }
}
