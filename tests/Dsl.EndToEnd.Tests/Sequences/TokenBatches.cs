using System;
using System.Linq;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary>
/// Batches of token sequences for the language-model tests, and the eager batch loss they are
/// checked against: ids laid out example after example, <c>length</c> tokens each, as the
/// compiled programs read them.
/// </summary>
internal static class TokenBatches
{
    /// <summary>Random ids and, independently, random targets: batch × length each, in [0, vocab).</summary>
    public static (int[] Ids, int[] Next) Random(int batch, int length, int vocab, int seed)
    {
        var random = new System.Random(seed);
        int[] ids = Enumerable.Range(0, batch * length).Select(_ => random.Next(vocab)).ToArray();
        int[] next = Enumerable.Range(0, batch * length).Select(_ => random.Next(vocab)).ToArray();
        return (ids, next);
    }

    /// <summary>Example <paramref name="b"/> of a batch, as the eager model's <see cref="Tokens"/>.</summary>
    public static Tokens Example(int[] ids, int b, int length) => new(ids.AsSpan(b * length, length).ToArray());

    /// <summary>The mean over the batch of the user's [TrainingStep] run eagerly on each example, in double.</summary>
    public static double EagerBatchLoss(Func<Tokens, Tokens, Tensor> trainingStep, int[] ids, int[] next, int length, int batch) =>
        Enumerable.Range(0, batch).Average(b => trainingStep(Example(ids, b, length), Example(next, b, length)).Item());
}
