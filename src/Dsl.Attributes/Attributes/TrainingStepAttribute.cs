using System;

namespace Dsl;

/// <summary>
/// Marks a model's training step (Lightning's <c>training_step</c>): it takes one example and
/// returns its scalar loss. The trainer averages the per-example losses over the batch and
/// differentiates the result with respect to the model's parameters.
/// </summary>
/// <example>
/// <code>
/// [TrainingStep]
/// public Tensor TrainingStep(Tensor x, Label y)
/// {
///     var loss = CrossEntropy(Forward(x), y);
///     Log("train_loss", loss);
///     return loss;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TrainingStepAttribute : Attribute
{
}
