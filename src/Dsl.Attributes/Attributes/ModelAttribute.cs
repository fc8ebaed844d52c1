using System;

namespace Dsl;

/// <summary>
/// Marks a <see langword="partial"/> class as a model: the generator reads its layers
/// (attributed partial methods), its <see cref="ForwardAttribute">[Forward]</see> method and its
/// step methods, and compiles them at build time (the DSL's LightningModule).
/// </summary>
/// <example>
/// <code>
/// [Model]
/// public partial class Classifier
/// {
///     [Dense(2)] private partial Tensor Output(Tensor x);
///
///     [Forward]
///     public Tensor Forward([Shape(10)] Tensor x) => Output(x);
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
}
