using System;

namespace Dsl;

/// <summary>
/// An input value a compiled program refused (NaN, infinity, a label out of range), with the
/// tensor and the example of the batch it sits in, so that callers that know where the batch
/// came from (the Trainer, a data loader) can name the file and row.
/// </summary>
public sealed class InvalidInputException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="tensor">The input's name.</param>
    /// <param name="example">The example's position in the batch.</param>
    public InvalidInputException(string message, string tensor, int example)
        : base(message, tensor)
    {
        Tensor = tensor;
        Example = example;
        Description = message;
    }

    /// <summary>The message without the "(Parameter ...)" suffix <see cref="ArgumentException"/> adds, for wrapping.</summary>
    public string Description { get; }

    /// <summary>The input's name in the user's method.</summary>
    public string Tensor { get; }

    /// <summary>The position of the offending example in its batch.</summary>
    public int Example { get; }
}
