using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>
    /// Cross-entropy of one example's class scores against its label, as
    /// <c>torch.nn.functional.cross_entropy</c> on unnormalised logits:
    /// <c>CE = logsumexp(logits) - logits[label]</c> (= <c>-LogSoftmax(logits)[label]</c>),
    /// evaluated as <c>(m - logits[label]) + ln Σ_j exp(logits[j] - m)</c> with <c>m</c> the maximum.
    /// Shape: logits <c>[classes]</c> → scalar <c>[]</c>.
    /// </summary>
    /// <param name="logits">Unnormalised class scores, rank 1.</param>
    /// <param name="label">The true class, in <c>0 .. classes - 1</c>.</param>
    /// <returns>A scalar, the negative log-likelihood of the label.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is not rank 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a valid class.</exception>
    public static Tensor CrossEntropy(Tensor logits, Label label)
    {
        RequireClassScores(logits, label, nameof(CrossEntropy));
        ReadOnlySpan<double> scores = logits.Data;
        (double max, double logSum) = ShiftedLogSumExp(scores);
        return Tensor.Scalar((max - scores[label.Index]) + logSum);
    }

    /// <summary>
    /// Mean squared error: <c>mse = (1/n) Σ_i (prediction[i] - target[i])²</c>, as
    /// <c>torch.nn.functional.mse_loss</c> with mean reduction. Shape: two equal shapes → scalar <c>[]</c>.
    /// </summary>
    /// <param name="prediction">The model's output.</param>
    /// <param name="target">The expected values, of the same shape.</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);

        // No broadcasting here: a prediction of [3] against a target of [] is almost surely a bug,
        // and PyTorch only warns about it.
        if (!prediction.ShapeArray.AsSpan().SequenceEqual(target.ShapeArray))
        {
            throw new ArgumentException(
                $"Mse: prediction {prediction.ShapeText} and target {target.ShapeText} must have the same shape.");
        }

        double sum = 0.0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double difference = prediction[i] - target[i];
            sum += difference * difference;
        }

        return Tensor.Scalar(sum / prediction.Length);
    }

    // Checks that logits are one example's class scores and that the label names one of them.
    private static void RequireClassScores(Tensor logits, Label label, string operation)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 1)
        {
            throw new ArgumentException(
                $"{operation} expects the logits of one example, a vector of class scores, " +
                $"but got {logits.ShapeText}.",
                nameof(logits));
        }

        if (label.Index >= logits.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(label),
                label.Index,
                $"{operation}: label {label.Index} is out of range for {logits.Length} classes " +
                $"(logits {logits.ShapeText}).");
        }
    }
}
