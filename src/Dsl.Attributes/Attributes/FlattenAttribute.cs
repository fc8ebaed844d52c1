using System;

namespace Dsl;

/// <summary>
/// Declares a flatten, like <c>torch.nn.Flatten()</c>: each example's tensor becomes one vector of
/// all its elements in row-major order (<c>[16, 4, 4]</c> to <c>[256]</c>), ready for a
/// <see cref="DenseAttribute">[Dense]</see> layer. No parameters.
/// </summary>
/// <example>
/// <code>
/// [Flatten] private partial Tensor Flat(Tensor x);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
