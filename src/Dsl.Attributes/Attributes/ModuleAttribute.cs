using System;

namespace Dsl;

/// <summary>
/// Marks a <see langword="partial"/> class as a module, PyTorch's <c>nn.Module</c> child: its
/// layers and children become part of every model that holds it, their parameters named under
/// the property that holds it (<c>encoder.up.weight</c>, <c>blocks.0.norm1.weight</c>). Its
/// <see cref="ForwardAttribute">[Forward]</see> method is inlined where a model calls it; the
/// generated part also runs it eagerly on the model's parameters.
/// </summary>
/// <remarks>
/// A module declares no constructor of its own: the generator gives it one that binds it to a
/// model's parameter store and its name prefix there.
/// </remarks>
/// <example>
/// <code>
/// [Module]
/// public partial class Block
/// {
///     [LayerNorm] private partial Tensor Norm(Tensor x);
///     [Dense(64)] private partial Tensor Up(Tensor x);
///
///     [Forward]
///     public Tensor Forward(Tensor x) => x + Up(Norm(x));
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModuleAttribute : Attribute
{
}
