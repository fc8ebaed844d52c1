using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>
    /// Top-1 accuracy of one example: <c>1</c> if <c>argmax(logits) == label</c>, else <c>0</c>,
    /// where argmax is the FIRST index of the largest score (ties go to the lower class, as in
    /// <c>torch.argmax</c>). Averaged over a batch by the trainer, it becomes the batch accuracy.
    /// Shape: logits <c>[classes]</c> → scalar <c>[]</c>.
    /// </summary>
    /// <param name="logits">Class scores (or probabilities), rank 1.</param>
    /// <param name="label">The true class, in <c>0 .. classes - 1</c>.</param>
    /// <returns>A scalar, 1.0 or 0.0.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is not rank 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a valid class.</exception>
    public static Tensor Accuracy(Tensor logits, Label label)
    {
        // An out-of-range label is a data bug, reported as CrossEntropy reports it rather than
        // silently scored as a miss.
        RequireClassScores(logits, label, nameof(Accuracy));
        return Tensor.Scalar(ArgMax(logits.Data) == label.Index ? 1.0 : 0.0);
    }

    // The first index of the largest value. Strict '>' keeps the first of equal maxima.
    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
