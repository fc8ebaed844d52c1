using System;

namespace Dsl;

/// <summary>
/// Marks the method that creates a model's optimizer (Lightning's
/// <c>configure_optimizers</c>). The optimizer types live in the runtime assembly.
/// </summary>
/// <example>
/// <code>
/// [Optimizer]
/// private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OptimizerAttribute : Attribute
{
}
