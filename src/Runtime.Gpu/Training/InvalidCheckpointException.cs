using System;
using System.IO;

namespace Dsl;

/// <summary>
/// <see cref="Trainer.Fit"/> refused to resume from a checkpoint: the file is not a valid
/// safetensors file, was written for another model or optimizer, or one of its fields (a tensor,
/// a <c>dsl.*</c> metadata value, a callback's state) is missing or malformed. The message starts
/// with the file and names the field and what was expected. Nothing was changed: the model's
/// parameters, the optimizer state and every callback are as they were before the call.
/// </summary>
/// <remarks>
/// A type of its own, not <see cref="InvalidDataException"/> (which is sealed, and which Fit also
/// throws for a bad example), so that a caller can tell a refused checkpoint from bad data. When
/// the file is not valid safetensors, <see cref="Exception.InnerException"/> is the reader's
/// <see cref="InvalidDataException"/>.
/// </remarks>
public sealed class InvalidCheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="field">
    /// What is wrong in it: a metadata key (<c>dsl.epoch</c>), a callback's state
    /// (<c>dsl.callbacks["EarlyStopping{...}"]</c>), <c>tensors</c>, or <c>file</c> when the file
    /// itself is not valid safetensors.
    /// </param>
    /// <param name="problem">What is wrong and what was expected, without the path.</param>
    /// <param name="inner">The error this one explains, if any.</param>
    public InvalidCheckpointException(string path, string field, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Field = field;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>The field the problem is in (see the constructor).</summary>
    public string Field { get; }
}
