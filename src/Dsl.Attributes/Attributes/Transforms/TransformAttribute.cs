using System;

namespace Dsl;

/// <summary>
/// The base of the attributes that declare a derived function: a <c>static partial</c> method
/// without a body, which the generator implements by transforming <see cref="Function"/>.
/// </summary>
public abstract class TransformAttribute : Attribute
{
    /// <summary>Creates the attribute for the source function named <paramref name="function"/>.</summary>
    /// <param name="function">The source function's name, best written <c>nameof(F)</c>; it must be
    /// <see cref="DifferentiableAttribute">[Differentiable]</see> or itself a derived function of the same type.</param>
    protected TransformAttribute(string function) => Function = function;

    /// <summary>The name of the function this one is derived from.</summary>
    public string Function { get; }

    /// <summary>
    /// The parameters to differentiate with respect to, by name, comma-separated (JAX's
    /// <c>argnums</c>): <c>"w"</c> or <c>"w, b"</c>. Default: the first parameter.
    /// </summary>
    public string? WithRespectTo { get; set; }
}
