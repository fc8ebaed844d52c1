using System;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// Cuts a dataset into batches, epoch by epoch, optionally shuffled, in the manner of PyTorch's
/// <c>DataLoader</c>, with one difference that makes resuming exact: an epoch's order is a pure
/// function of (<see cref="Seed"/>, epoch), so a run restarted from a checkpoint at epoch 3,
/// batch 17 sees exactly the batches it would have seen.
/// </summary>
/// <remarks>
/// The loader owns one <see cref="Batch"/> and one index array and reuses them for every batch
/// of every epoch: after the first epoch starts, iterating allocates nothing. The batch yielded
/// is therefore valid only until the next one, and a loader runs one epoch at a time: starting
/// another enumeration ends the previous one (its next MoveNext throws).
/// </remarks>
public sealed class DataLoader
{
    private int[]? _order, _global;
    private Batch? _batch;
    private int _generation;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">The examples per batch.</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a fresh random order.</param>
    /// <param name="dropLast">Whether to drop an epoch's last batch when it is short.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="sampler">Under data-parallel training, this rank's share of each epoch (null: every example).</param>
    /// <exception cref="ArgumentException">The dataset is empty, or <paramref name="dropLast"/> leaves no batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, int seed = 0, DistributedSampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (dataset.Count == 0)
            throw new ArgumentException($"The dataset {dataset.Source} has no examples.", nameof(dataset));
        int count = sampler?.SamplesPerRank(dataset.Count) ?? dataset.Count;
        if (count == 0)
            throw new ArgumentException($"The {dataset.Count} examples of {dataset.Source} leave none to rank {sampler!.Rank} of {sampler.WorldSize} with drop-last.", nameof(sampler));
        if (dropLast && count < batchSize)
            throw new ArgumentException($"With dropLast, a batch size of {batchSize} leaves no batch of the {count} examples of {dataset.Source}.", nameof(dropLast));

        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
        Sampler = sampler;
        ExampleCount = count;
        BatchCount = dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
    }

    /// <summary>The examples.</summary>
    public Dataset Dataset { get; }

    /// <summary>The examples per batch (the last batch of an epoch may hold fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the examples in a fresh random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an epoch's short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The seed of the shuffles.</summary>
    public int Seed { get; }

    /// <summary>This rank's share of each epoch under data-parallel training, or null for every example.</summary>
    public DistributedSampler? Sampler { get; }

    /// <summary>The examples an epoch visits: the dataset's, or the <see cref="Sampler"/>'s share of them.</summary>
    public int ExampleCount { get; }

    /// <summary>
    /// The same loader over this rank's share of each epoch (Lightning's automatic
    /// <c>DistributedSampler</c>): same batch size, shuffle, drop-last and seed.
    /// </summary>
    /// <param name="sampler">The rank's sampler.</param>
    /// <returns>A new loader.</returns>
    public DataLoader WithSampler(DistributedSampler sampler) => new(Dataset, BatchSize, Shuffle, DropLast, Seed, sampler);

    /// <summary>The batches per epoch, honouring <see cref="DropLast"/>.</summary>
    public int BatchCount { get; }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, skipping the first
    /// <paramref name="skipBatches"/> (to resume exactly where a run stopped).
    /// </summary>
    /// <param name="epoch">The epoch, from 0; it selects the shuffle.</param>
    /// <param name="skipBatches">How many of the epoch's batches to skip, from 0 to <see cref="BatchCount"/>.</param>
    /// <returns>
    /// An enumerable whose <c>foreach</c> allocates nothing; it yields one reused
    /// <see cref="Batch"/>, refilled for each batch.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative epoch, or <paramref name="skipBatches"/> outside [0, BatchCount].</exception>
    public EpochBatches Epoch(int epoch, int skipBatches = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (skipBatches < 0 || skipBatches > BatchCount)
            throw new ArgumentOutOfRangeException(nameof(skipBatches), skipBatches, $"An epoch has {BatchCount} batches.");
        return new EpochBatches(this, epoch, skipBatches);
    }

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> visits the examples: 0, 1, ... without
    /// shuffling, else a permutation that depends only on (<see cref="Seed"/>, epoch); with a
    /// <see cref="Sampler"/>, this rank's share of that order.
    /// </summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <returns>A new array of <see cref="ExampleCount"/> example indices.</returns>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        int[] order = new int[ExampleCount];
        FillOrder(order, epoch);
        return order;
    }

    /// <summary>Prepares the shared order and batch for a new enumeration and returns its generation.</summary>
    internal int Begin(int epoch)
    {
        int count = ExampleCount;
        if (_order is null || _order.Length != count)
            _order = new int[count];
        _batch ??= new Batch(Dataset.Columns, BatchSize);
        FillOrder(_order, epoch);
        return ++_generation;
    }

    /// <summary>Fills the shared batch with batch <paramref name="index"/> of the current epoch.</summary>
    internal Batch Load(int generation, int index)
    {
        if (generation != _generation)
            throw new InvalidOperationException("Another epoch of this DataLoader started while this one was being enumerated; a loader runs one epoch at a time.");
        int start = index * BatchSize;
        int length = Math.Min(BatchSize, _order!.Length - start);
        Dataset.Fill(_order.AsSpan(start, length), _batch!);
        return _batch!;
    }

    private void FillOrder(Span<int> order, int epoch)
    {
        if (Sampler is not null)
        {
            if (_global is null || _global.Length != Dataset.Count)
                _global = new int[Dataset.Count];
            FillGlobalOrder(_global, epoch);
            Sampler.Select(_global, order);
            return;
        }

        FillGlobalOrder(order, epoch);
    }

    private void FillGlobalOrder(Span<int> order, int epoch)
    {
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        if (Shuffle)
            Permutation.Shuffle(order, unchecked((uint)Seed), Permutation.EpochSite(epoch));
    }
}
