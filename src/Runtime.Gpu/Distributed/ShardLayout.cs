using System;

namespace Dsl;

/// <summary>
/// How ZeRO-1 splits a flat buffer of <c>length</c> floats over the ranks: contiguous ranges in
/// rank order, the first <c>length % ranks</c> one float longer, so every float has one owner.
/// </summary>
internal sealed class ShardLayout
{
    /// <summary>Splits <paramref name="length"/> floats over <paramref name="ranks"/> ranks.</summary>
    public ShardLayout(int length, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        Counts = new int[ranks];
        Offsets = new int[ranks];
        int quotient = length / ranks, remainder = length % ranks;
        for (int r = 0, offset = 0; r < ranks; r++)
        {
            Counts[r] = quotient + (r < remainder ? 1 : 0);
            Offsets[r] = offset;
            offset += Counts[r];
        }
    }

    /// <summary>How many floats each rank owns (MPI's receive counts).</summary>
    public int[] Counts { get; }

    /// <summary>Where each rank's range starts (MPI's displacements).</summary>
    public int[] Offsets { get; }
}
