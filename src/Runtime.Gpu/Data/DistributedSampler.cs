using System;

namespace Dsl;

/// <summary>
/// One rank's share of each epoch's order, as PyTorch's <c>DistributedSampler</c> (which Lightning
/// installs under DDP) takes it: the epoch's order is cut to a multiple of the world size, either
/// padded by repeating its first examples or (<see cref="DropLast"/>) truncated, and rank r takes
/// positions r, r + W, r + 2W, ... So the shards are disjoint (but for padding), and a pure function
/// of the loader's seed, the epoch, the rank and the world size.
/// </summary>
public sealed class DistributedSampler
{
    /// <summary>Creates the sampler of one rank.</summary>
    /// <param name="rank">This rank, from 0.</param>
    /// <param name="worldSize">How many ranks share the data.</param>
    /// <param name="dropLast">Drop the tail that does not divide evenly instead of padding it with repeated examples.</param>
    /// <exception cref="ArgumentOutOfRangeException">The world size is below 1 or the rank outside [0, worldSize).</exception>
    public DistributedSampler(int rank, int worldSize, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"A rank lies in [0, {worldSize}).");
        Rank = rank;
        WorldSize = worldSize;
        DropLast = dropLast;
    }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>How many ranks share the data.</summary>
    public int WorldSize { get; }

    /// <summary>Whether the uneven tail is dropped rather than padded.</summary>
    public bool DropLast { get; }

    /// <summary>How many examples each rank visits per epoch when the data set holds <paramref name="count"/>.</summary>
    /// <param name="count">The data set's size.</param>
    /// <returns>⌊count / W⌋ with drop-last, else ⌈count / W⌉.</returns>
    public int SamplesPerRank(int count) => DropLast ? count / WorldSize : (count + WorldSize - 1) / WorldSize;

    /// <summary>Takes this rank's share of an epoch's order.</summary>
    /// <param name="order">Every example index, in the epoch's order.</param>
    /// <param name="shard"><see cref="SamplesPerRank"/> of the order's length slots.</param>
    /// <exception cref="ArgumentException">The shard has the wrong length, or the order is empty.</exception>
    public void Select(ReadOnlySpan<int> order, Span<int> shard)
    {
        if (order.Length == 0)
            throw new ArgumentException("The order is empty.", nameof(order));
        if (shard.Length != SamplesPerRank(order.Length))
            throw new ArgumentException($"Rank {Rank} of {WorldSize} takes {SamplesPerRank(order.Length)} of {order.Length} examples, not {shard.Length}.", nameof(shard));
        // Position p of the padded order is order[p mod count]: PyTorch's padding repeats the order from its start.
        for (int i = 0; i < shard.Length; i++)
            shard[i] = order[(Rank + i * WorldSize) % order.Length];
    }
}
