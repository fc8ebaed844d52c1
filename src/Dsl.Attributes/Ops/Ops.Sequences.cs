using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>
    /// The positions <c>0, 1, ..., n - 1</c>, as <c>torch.arange(n)</c>: the input of a learned
    /// positional <see cref="EmbeddingAttribute">[Embedding]</see>. Compiled, it is a constant.
    /// </summary>
    /// <param name="n">The number of positions, at least 1.</param>
    /// <returns>The ids <c>[n]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static Tokens Arange(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var ids = new int[n];
        for (int t = 0; t < n; t++)
        {
            ids[t] = t;
        }

        return new Tokens(ids);
    }

    /// <summary>
    /// The cross-entropy of a sequence of logits against its target ids, averaged over the
    /// positions: <c>(1/T) Σ_t (logsumexp(logits[t, :]) - logits[t, targets[t]])</c>, as
    /// <c>F.cross_entropy(logits, targets)</c> over one example's T positions.
    /// Shape: logits <c>[T, classes]</c>, targets <c>[T]</c> → scalar <c>[]</c>.
    /// </summary>
    /// <param name="logits">Unnormalised scores, rank 2.</param>
    /// <param name="targets">The true id at each position, each in <c>0 .. classes - 1</c>.</param>
    /// <returns>A scalar, the mean negative log-likelihood.</returns>
    /// <exception cref="ArgumentException">The logits are not rank 2, or T differs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is not a valid class (the message names it and its position).</exception>
    public static Tensor CrossEntropy(Tensor logits, Tokens targets)
    {
        (int length, int classes) = RequireSequenceScores(logits, targets, nameof(CrossEntropy));
        double sum = 0.0;
        for (int t = 0; t < length; t++)
        {
            ReadOnlySpan<double> scores = logits.Data.Slice(t * classes, classes);
            (double max, double logSum) = ShiftedLogSumExp(scores);
            sum += (max - scores[targets[t]]) + logSum;
        }

        return Tensor.Scalar(sum / length);
    }

    /// <summary>
    /// The fraction of positions whose first largest logit is the target id: the mean over T of
    /// <see cref="Accuracy(Tensor, Label)"/>. Shape: logits <c>[T, classes]</c>, targets <c>[T]</c> → scalar <c>[]</c>.
    /// </summary>
    /// <param name="logits">Scores, rank 2.</param>
    /// <param name="targets">The true id at each position.</param>
    /// <returns>A scalar in [0, 1].</returns>
    /// <exception cref="ArgumentException">The logits are not rank 2, or T differs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is not a valid class.</exception>
    public static Tensor Accuracy(Tensor logits, Tokens targets)
    {
        (int length, int classes) = RequireSequenceScores(logits, targets, nameof(Accuracy));
        int correct = 0;
        for (int t = 0; t < length; t++)
        {
            if (ArgMax(logits.Data.Slice(t * classes, classes)) == targets[t])
            {
                correct++;
            }
        }

        return Tensor.Scalar((double)correct / length);
    }

    // Checks that logits are [T, classes] with T the targets' length, and every target a class.
    private static (int Length, int Classes) RequireSequenceScores(Tensor logits, Tokens targets, string operation)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 2 || logits.ShapeArray[0] != targets.Length || targets.Length == 0)
        {
            throw new ArgumentException(
                $"{operation} expects logits [T, classes] with T = {targets.Length} (the targets' length), but got {logits.ShapeText}.",
                nameof(logits));
        }

        int classes = logits.ShapeArray[1];
        for (int t = 0; t < targets.Length; t++)
        {
            if (targets[t] >= classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(targets), targets[t], $"{operation}: target {targets[t]} at position {t} is out of range for {classes} classes (logits {logits.ShapeText}).");
            }
        }

        return (targets.Length, classes);
    }
}
