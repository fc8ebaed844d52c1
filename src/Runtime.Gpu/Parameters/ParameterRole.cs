namespace Dsl;

/// <summary>
/// What a tensor of a <see cref="ParameterStore"/> is: a trainable parameter, or a buffer, PyTorch's
/// non-trainable state (BatchNorm's running statistics) that the model updates itself.
/// </summary>
public enum ParameterRole
{
    /// <summary>Trained by the optimizer from its gradient.</summary>
    Parameter,

    /// <summary>
    /// Non-trainable state (<c>running_mean</c>, <c>running_var</c>): no gradient, no optimizer
    /// update; written by the training step, read by prediction; saved and loaded with the parameters.
    /// </summary>
    Buffer,

    /// <summary>
    /// A buffer that counts (<c>num_batches_tracked</c>): held as a float in the flat buffer (exact
    /// up to 2^24 steps) and saved as PyTorch's int64.
    /// </summary>
    CountBuffer,
}
