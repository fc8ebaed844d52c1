using System;

namespace Dsl;

/// <summary>
/// Training stopped because a batch's loss was NaN or infinite. The failing step changed no
/// parameter, no checkpoint was written after it, and the message names the epoch, batch, step
/// and the last checkpoint that is still good.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="lastCheckpoint">The most recent checkpoint written in this run, or null.</param>
    /// <param name="inner">The step's <see cref="NonFiniteLossException"/>.</param>
    public TrainingDivergedException(string message, string? lastCheckpoint, Exception inner)
        : base(message, inner)
    {
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The most recent checkpoint written before the loss diverged, or null when none was.</summary>
    public string? LastCheckpoint { get; }
}
