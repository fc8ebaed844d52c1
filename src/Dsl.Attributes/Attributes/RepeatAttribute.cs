using System;

namespace Dsl;

/// <summary>
/// Declares a stack of <see cref="Count"/> copies of a <see cref="ModuleAttribute">[Module]</see>,
/// PyTorch's <c>nn.ModuleList</c>: each copy has its own parameters, named by its index
/// (<c>blocks.0.up.weight</c>, <c>blocks.1.up.weight</c>). The forward method iterates it with
/// <c>foreach</c> or indexes it with a constant; both are unrolled at compile time.
/// </summary>
/// <example>
/// <code>
/// [Repeat(6)] private partial Block[] Blocks { get; }
///
/// [Forward]
/// public Tensor Forward([Shape(16, 64)] Tensor x)
/// {
///     foreach (var block in Blocks) x = block.Forward(x);
///     return x;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class RepeatAttribute : Attribute
{
    /// <summary>Declares a stack of <paramref name="count"/> modules; it must be a constant of at least 1.</summary>
    public RepeatAttribute(int count) => Count = count;

    /// <summary>The number of modules in the stack.</summary>
    public int Count { get; }
}
