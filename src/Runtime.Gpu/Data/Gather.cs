using System;

namespace Dsl.Data;

/// <summary>Copies chosen examples of a column stored back to back into a batch buffer.</summary>
internal static class Gather
{
    /// <summary>
    /// Writes example <c>indices[k]</c> of <paramref name="source"/> to slot <c>k</c> of
    /// <paramref name="destination"/>; runs of consecutive indices (an unshuffled loader) are
    /// copied in one go.
    /// </summary>
    /// <param name="source">All examples, <paramref name="exampleSize"/> values each.</param>
    /// <param name="exampleSize">The values per example.</param>
    /// <param name="indices">The examples to copy, already checked to lie within the source.</param>
    /// <param name="destination">The batch buffer.</param>
    public static void Examples<T>(ReadOnlySpan<T> source, int exampleSize, ReadOnlySpan<int> indices, Span<T> destination)
    {
        int k = 0;
        while (k < indices.Length)
        {
            int run = 1;
            while (k + run < indices.Length && indices[k + run] == indices[k] + run)
                run++;
            source.Slice(indices[k] * exampleSize, run * exampleSize).CopyTo(destination.Slice(k * exampleSize));
            k += run;
        }
    }
}
