using System;

namespace Dsl;

/// <summary>
/// Marks a model's forward pass: a method over <see cref="Tensor"/> values that describes ONE
/// example (no batch dimension). The generator batches it; as plain C# it is the eager reference.
/// </summary>
/// <example>
/// <code>
/// [Forward]
/// public Tensor Forward([Shape(10)] Tensor x) => Output(Relu(Hidden(x)));
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ForwardAttribute : Attribute
{
}
