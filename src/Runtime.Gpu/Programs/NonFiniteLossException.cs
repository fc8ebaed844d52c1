using System;

namespace Dsl;

/// <summary>
/// A training step's loss was NaN or infinite; the step stopped before changing any parameter.
/// The Trainer catches it, keeps the last good checkpoint and stops the run with a message that
/// names the epoch and batch.
/// </summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="loss"/>.</summary>
    /// <param name="method">The step that computed it, e.g. <c>"TrainStep"</c>.</param>
    /// <param name="loss">The loss.</param>
    public NonFiniteLossException(string method, float loss)
        : base($"{method}: the batch loss is {loss}, so the parameters were not updated; check the inputs and the learning rate.")
    {
        Loss = loss;
    }

    /// <summary>The loss that was not finite.</summary>
    public float Loss { get; }
}
