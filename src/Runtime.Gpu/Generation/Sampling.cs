using System;

namespace Dsl;

/// <summary>
/// Picking the next token from a language model's logits, as nanoGPT's <c>generate</c> does:
/// divide by a temperature, keep the <c>k</c> largest, softmax, draw. Pure functions of their
/// arguments and the <see cref="Random"/> given, so a seeded generator reproduces a text exactly.
/// </summary>
public static class Sampling
{
    /// <summary>The index of the largest logit (the first one on ties).</summary>
    /// <param name="logits">The logits; at least one, none NaN.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">No logits, or one is NaN.</exception>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
            throw new ArgumentException("There are no logits to choose from.", nameof(logits));
        int best = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (float.IsNaN(logits[i]))
                throw new ArgumentException($"Logit {i} is NaN.", nameof(logits));
            if (logits[i] > logits[best])
                best = i;
        }

        return best;
    }

    /// <summary>
    /// Keeps exactly <paramref name="k"/> logits, the largest (ties broken towards the lower index),
    /// and sets the others to negative infinity, as <c>torch.topk</c> followed by masking does.
    /// </summary>
    /// <param name="logits">The logits, changed in place; none NaN.</param>
    /// <param name="k">How many to keep, from 1 to the number of logits.</param>
    /// <param name="scratch">Room for a copy of the logits (at least as long).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not between 1 and the number of logits.</exception>
    /// <exception cref="ArgumentException"><paramref name="scratch"/> is too short, or a logit is NaN.</exception>
    public static void KeepTopK(Span<float> logits, int k, Span<float> scratch)
    {
        if (k < 1 || k > logits.Length)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"top-k must be between 1 and the {logits.Length} logits.");
        if (scratch.Length < logits.Length)
            throw new ArgumentException($"The scratch span holds {scratch.Length} values; {logits.Length} logits need as many.", nameof(scratch));
        CheckNotNaN(logits);
        if (k == logits.Length)
            return;

        Span<float> sorted = scratch[..logits.Length];
        logits.CopyTo(sorted);
        sorted.Sort();
        float threshold = sorted[logits.Length - k];

        // Everything above the k-th largest value stays; of the values equal to it, only as many
        // as are needed to make k, the first ones, so exactly k remain however many tie.
        int above = 0;
        foreach (float v in logits)
        {
            if (v > threshold)
                above++;
        }

        int equalToKeep = k - above;
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] > threshold)
                continue;
            if (logits[i] == threshold && equalToKeep > 0)
            {
                equalToKeep--;
                continue;
            }

            logits[i] = float.NegativeInfinity;
        }
    }

    /// <summary>
    /// Draws a token: the logits divided by <paramref name="temperature"/>, all but the
    /// <paramref name="topK"/> largest dropped, a softmax (in double), then one draw of
    /// <paramref name="random"/>. A temperature of 0 is the limit, the argmax, and draws nothing.
    /// </summary>
    /// <param name="logits">The model's logits for the next position; not changed.</param>
    /// <param name="temperature">0 for greedy decoding, else a finite positive divisor (below 1 sharpens, above 1 flattens).</param>
    /// <param name="topK">How many candidates to keep, from 1 to the number of logits; 0 keeps all.</param>
    /// <param name="random">The source of the draw.</param>
    /// <param name="scratch">Room for twice the logits (reused between calls so sampling allocates nothing).</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is negative, NaN or infinite, or <paramref name="topK"/> is outside [0, logits].</exception>
    /// <exception cref="ArgumentException">No logits, a NaN logit, or <paramref name="scratch"/> shorter than twice the logits.</exception>
    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, Random random, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(temperature >= 0) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be 0 (greedy) or a finite positive number.");
        if (topK < 0 || topK > logits.Length)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"top-k must be 0 (keep all) or between 1 and the {logits.Length} logits.");
        if (temperature == 0)
            return ArgMax(logits);
        if (logits.IsEmpty)
            throw new ArgumentException("There are no logits to choose from.", nameof(logits));
        if (scratch.Length < 2 * logits.Length)
            throw new ArgumentException($"The scratch span holds {scratch.Length} values; sampling from {logits.Length} logits needs {2 * logits.Length}.", nameof(scratch));

        Span<float> scaled = scratch[..logits.Length];
        for (int i = 0; i < logits.Length; i++)
            scaled[i] = logits[i] / temperature;
        if (topK > 0)
            KeepTopK(scaled, topK, scratch[logits.Length..]);
        else
            CheckNotNaN(scaled);

        // Softmax against the largest value, so that a tiny temperature (huge scaled logits)
        // leaves the argmax with probability 1 instead of overflowing.
        float max = float.NegativeInfinity;
        int last = 0;
        for (int i = 0; i < scaled.Length; i++)
        {
            if (scaled[i] > max)
                max = scaled[i];
        }

        double total = 0;
        for (int i = 0; i < scaled.Length; i++)
        {
            if (scaled[i] != float.NegativeInfinity)
            {
                total += Math.Exp(scaled[i] - (double)max);
                last = i;
            }
        }

        double u = random.NextDouble() * total, cumulative = 0;
        for (int i = 0; i < scaled.Length; i++)
        {
            if (scaled[i] == float.NegativeInfinity)
                continue;
            cumulative += Math.Exp(scaled[i] - (double)max);
            if (u < cumulative)
                return i;
        }

        // Rounding can leave u at the very top of the total; the last candidate owns that edge.
        return last;
    }

    private static void CheckNotNaN(ReadOnlySpan<float> logits)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            if (float.IsNaN(logits[i]))
                throw new ArgumentException($"Logit {i} is NaN.", "logits");
        }
    }
}
