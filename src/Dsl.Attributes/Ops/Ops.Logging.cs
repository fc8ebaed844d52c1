using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>
    /// Logs a scalar metric under <paramref name="name"/>, as Lightning's <c>self.log</c>. Compiled,
    /// the trainer averages the value per step and per epoch; eager, the value is recorded in
    /// <see cref="EagerLog"/> for the calling thread (the last value per name).
    /// </summary>
    /// <param name="name">The metric's name, e.g. <c>"val_loss"</c>.</param>
    /// <param name="value">A scalar (shape <c>[]</c>), e.g. a loss or an accuracy.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or white space, or <paramref name="value"/> is not a scalar.
    /// </exception>
    public static void Log(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Rank != 0)
        {
            throw new ArgumentException(
                $"Log(\"{name}\") needs a scalar value, but got {value.ShapeText}; " +
                "reduce it first, e.g. with Mean or Sum.",
                nameof(value));
        }

        EagerLog.Record(name, value.Item());
    }
}
