using System;

namespace Dsl;

/// <summary>
/// Marks a model's validation step (Lightning's <c>validation_step</c>): it takes one example
/// and reports metrics through <see cref="Ops.Log(string, Tensor)"/>; no gradients are taken.
/// </summary>
/// <example>
/// <code>
/// [ValidationStep]
/// public void ValidationStep(Tensor x, Label y)
/// {
///     var logits = Forward(x);
///     Log("val_loss", CrossEntropy(logits, y));
///     Log("val_acc", Accuracy(logits, y));
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ValidationStepAttribute : Attribute
{
}
