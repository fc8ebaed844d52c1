using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class DataLoaderTests
{
    /// <summary>n examples whose single feature is the example's own index, so a batch shows which examples it holds.</summary>
    private static ArrayDataset Indexed(int n) =>
        ArrayDataset.FromFeatures(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), 1, new int[n]);

    /// <summary>The examples of every batch of one epoch, read from the batch contents.</summary>
    private static List<int[]> Batches(DataLoader loader, int epoch, int skip = 0)
    {
        var batches = new List<int[]>();
        foreach (Batch batch in loader.Epoch(epoch, skip))
        {
            int[] fromValues = batch.Floats(0).ToArray().Select(v => (int)v).ToArray();
            Assert.Equal(fromValues, batch.ExampleIndices.ToArray());
            batches.Add(fromValues);
        }

        return batches;
    }

    [Fact]
    public void WithoutShuffleBatchesFollowTheDatasetOrderAndTheLastIsShort()
    {
        var loader = new DataLoader(Indexed(10), batchSize: 4);
        Assert.Equal(3, loader.BatchCount);
        List<int[]> batches = Batches(loader, 0);
        Assert.Equal(new[] { 0, 1, 2, 3 }, batches[0]);
        Assert.Equal(new[] { 4, 5, 6, 7 }, batches[1]);
        Assert.Equal(new[] { 8, 9 }, batches[2]);
        Assert.Equal(batches.Select(b => b.ToArray()), Batches(loader, 5).Select(b => b.ToArray()));
    }

    [Fact]
    public void DropLastDropsTheShortBatch()
    {
        var loader = new DataLoader(Indexed(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.BatchCount);
        List<int[]> batches = Batches(loader, 0);
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(4, b.Length));
        Assert.Equal(2, new DataLoader(Indexed(8), 4, dropLast: true).BatchCount);
        Assert.Equal(2, new DataLoader(Indexed(8), 4).BatchCount);
    }

    [Fact]
    public void ShuffleVisitsEveryExampleOncePerEpoch()
    {
        var loader = new DataLoader(Indexed(103), batchSize: 10, shuffle: true, seed: 7);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] seen = Batches(loader, epoch).SelectMany(b => b).ToArray();
            Assert.Equal(103, seen.Length);
            Assert.Equal(Enumerable.Range(0, 103), seen.Order());
            Assert.NotEqual(Enumerable.Range(0, 103), seen);
        }
    }

    [Fact]
    public void TheOrderIsAFunctionOfSeedAndEpoch()
    {
        var a = new DataLoader(Indexed(50), 8, shuffle: true, seed: 7);
        var b = new DataLoader(Indexed(50), 8, shuffle: true, seed: 7);
        Assert.Equal(Batches(a, 3).SelectMany(x => x), Batches(b, 3).SelectMany(x => x));
        Assert.Equal(a.Order(2), b.Order(2));
        Assert.NotEqual(a.Order(2), a.Order(3));
        Assert.NotEqual(a.Order(2), new DataLoader(Indexed(50), 8, shuffle: true, seed: 8).Order(2));
        Assert.Equal(a.Order(4), Batches(a, 4).SelectMany(x => x));
    }

    [Fact]
    public void SkipBatchesYieldsTheTailOfTheSameOrder()
    {
        var loader = new DataLoader(Indexed(23), 5, shuffle: true, seed: 1);
        List<int[]> all = Batches(loader, 2);
        List<int[]> resumed = Batches(new DataLoader(Indexed(23), 5, shuffle: true, seed: 1), 2, skip: 3);
        Assert.Equal(2, resumed.Count);
        Assert.Equal(all[3], resumed[0]);
        Assert.Equal(all[4], resumed[1]);
        Assert.Equal(2, loader.Epoch(2, 3).Count);
        Assert.Empty(Batches(loader, 2, skip: 5));
    }

    [Fact]
    public void SkipBatchesBeyondTheEpochIsRejected()
    {
        var loader = new DataLoader(Indexed(10), 4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(0, 4));
        Assert.StartsWith("An epoch has 3 batches.", e.Message);
    }

    [Fact]
    public void ABatchSizeBelowOneIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Indexed(10), 0));
        Assert.StartsWith("The batch size must be at least 1.", e.Message);
    }

    [Fact]
    public void AnEmptyDatasetIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(Indexed(0), 4));
        Assert.StartsWith("The dataset in-memory arrays has no examples.", e.Message);
    }

    [Fact]
    public void DropLastWithTooFewExamplesIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(Indexed(3), 4, dropLast: true));
        Assert.StartsWith("With dropLast, a batch size of 4 leaves no batch of the 3 examples of in-memory arrays.", e.Message);
    }

    [Fact]
    public void OneBatchObjectIsReused()
    {
        var loader = new DataLoader(Indexed(10), 3, shuffle: true);
        Batch[] yielded = loader.Epoch(0).Concat(loader.Epoch(1)).ToArray();
        Assert.Equal(8, yielded.Length);
        Assert.All(yielded, b => Assert.Same(yielded[0], b));
    }

    [Fact]
    public void StartingAnotherEpochEndsTheEnumerationInProgress()
    {
        var loader = new DataLoader(Indexed(10), 3);
        EpochBatches.Enumerator first = loader.Epoch(0).GetEnumerator();
        Assert.True(first.MoveNext());
        EpochBatches.Enumerator second = loader.Epoch(1).GetEnumerator();
        Assert.True(second.MoveNext());
        var e = Assert.Throws<InvalidOperationException>(() => first.MoveNext());
        Assert.StartsWith("Another epoch of this DataLoader started", e.Message);
    }

    [Fact]
    public void SubsetsAreLoadedThroughTheirIndices()
    {
        Dataset part = Indexed(20).Take(10, 5);
        var loader = new DataLoader(part, 2);
        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 2, 3 }, new[] { 4 } }, ViewIndices(loader));
        var batch = new Batch(part.Columns, 2);
        part.Fill([4], batch);
        Assert.Equal(14f, batch.Floats(0)[0]);
    }

    [Fact]
    public void ForeachOverAnEpochAllocatesNothingPerBatch()
    {
        // Shuffled, with a subset (pooled scratch indices) over an array dataset.
        Dataset data = ArrayDataset.FromFeatures(new float[5000 * 8], 8, new int[5000]).Take(0, 4999);
        var loader = new DataLoader(data, 32, shuffle: true, seed: 3);
        float sum = 0;
        foreach (Batch batch in loader.Epoch(0))
            sum += batch.Floats(0)[0];

        long before = GC.GetAllocatedBytesForCurrentThread();
        int batches = 0;
        foreach (Batch batch in loader.Epoch(1))
        {
            sum += batch.Floats(0)[0] + batch.Ints(1)[0];
            batches++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(157, batches);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over an epoch of {batches} batches.");
        Assert.Equal(0f, sum);
    }

    private static int[][] ViewIndices(DataLoader loader)
    {
        var batches = new List<int[]>();
        foreach (Batch batch in loader.Epoch(0))
            batches.Add(batch.ExampleIndices.ToArray());
        return batches.ToArray();
    }
}
