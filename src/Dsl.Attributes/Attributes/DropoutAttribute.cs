using System;

namespace Dsl;

/// <summary>
/// Declares a dropout layer, like <c>torch.nn.Dropout(p)</c>: in the [TrainingStep] each element
/// is zeroed with probability p and the rest scaled by 1/(1 − p); in [Forward] called from Predict,
/// in the [ValidationStep] and in the eager reference it is the identity (eval mode). The draws are
/// counter-based (Philox4x32-10 of the seed, the dropout call, the training step and the element),
/// so every backend and thread split gives the same mask, and a resumed run the same masks.
/// </summary>
/// <example>
/// <code>
/// [Dropout(0.1f)] private partial Tensor Drop(Tensor x);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout with drop probability <paramref name="p"/>, in [0, 1).</summary>
    /// <param name="p">The probability that an element is zeroed in training.</param>
    public DropoutAttribute(float p) => P = p;

    /// <summary>The probability that an element is zeroed in training.</summary>
    public float P { get; }
}
