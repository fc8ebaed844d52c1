using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Data;

/// <summary>The distributed sampler against PyTorch's DistributedSampler (padding, drop-last, interleaving) and its promises: disjoint, covering, pure.</summary>
public sealed class DistributedSamplerTests
{
    private static ArrayDataset Indexed(int n) =>
        ArrayDataset.FromFeatures(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), 1, new int[n]);

    /// <summary>
    /// PyTorch, <c>DistributedSampler(range(10), num_replicas=3, rank=r, shuffle=False)</c>: the
    /// order 0..9 padded with its first 2 to 12, rank r taking r, r+3, ...: [0,3,6,9], [1,4,7,0], [2,5,8,1].
    /// </summary>
    [Fact]
    public void PaddingRepeatsTheOrdersStartAndRanksInterleave()
    {
        int[] order = Enumerable.Range(0, 10).ToArray();
        int[][] shards = Enumerable.Range(0, 3).Select(r =>
        {
            var sampler = new DistributedSampler(r, 3);
            int[] shard = new int[sampler.SamplesPerRank(10)];
            sampler.Select(order, shard);
            return shard;
        }).ToArray();
        Assert.Equal(new[] { 0, 3, 6, 9 }, shards[0]);
        Assert.Equal(new[] { 1, 4, 7, 0 }, shards[1]);
        Assert.Equal(new[] { 2, 5, 8, 1 }, shards[2]);
    }

    /// <summary>PyTorch with <c>drop_last=True</c>: the order truncated to 9, so [0,3,6], [1,4,7], [2,5,8].</summary>
    [Fact]
    public void DropLastTruncatesToAMultipleOfTheWorldSize()
    {
        int[] order = Enumerable.Range(0, 10).ToArray();
        for (int r = 0; r < 3; r++)
        {
            var sampler = new DistributedSampler(r, 3, dropLast: true);
            int[] shard = new int[sampler.SamplesPerRank(10)];
            sampler.Select(order, shard);
            Assert.Equal(new[] { r, r + 3, r + 6 }, shard);
        }
    }

    /// <summary>
    /// Two loaders at batch 4 sharing a shuffled epoch of 16: batch k of rank 0 and of rank 1 together are
    /// exactly batch k of one loader at batch 8, so 2 ranks at B/2 see one rank's batches at B.
    /// </summary>
    [Fact]
    public void TwoRanksAtHalfTheBatchTogetherSeeOneRanksBatches()
    {
        var whole = new DataLoader(Indexed(16), batchSize: 8, shuffle: true, seed: 3);
        var ranks = Enumerable.Range(0, 2).Select(r => new DataLoader(Indexed(16), 4, shuffle: true, seed: 3).WithSampler(new DistributedSampler(r, 2))).ToArray();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] order = whole.Order(epoch);
            int[][] shards = ranks.Select(l => l.Order(epoch)).ToArray();
            Assert.Empty(shards[0].Intersect(shards[1]));
            for (int k = 0; k < 2; k++)
            {
                int[] together = shards[0].Skip(4 * k).Take(4).Concat(shards[1].Skip(4 * k).Take(4)).Order().ToArray();
                Assert.Equal(order.Skip(8 * k).Take(8).Order(), together);
            }
        }

        Assert.Equal(2, ranks[0].BatchCount);
        Assert.Equal(8, ranks[1].ExampleCount);
    }

    /// <summary>The shard is a pure function of (seed, epoch, rank, world size): another loader recomputes it, and epochs differ.</summary>
    [Fact]
    public void ShardsArePureFunctionsOfSeedEpochRankAndWorldSize()
    {
        DataLoader Make() => new DataLoader(Indexed(50), 5, shuffle: true, seed: 9).WithSampler(new DistributedSampler(1, 4));
        Assert.Equal(Make().Order(2), Make().Order(2));
        Assert.NotEqual(Make().Order(2), Make().Order(3));
        Assert.Equal(13, Make().ExampleCount);
    }

    [Fact]
    public void RanksOutsideTheWorldAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(0, 0));
        Assert.Throws<ArgumentException>(() => new DistributedSampler(0, 2).Select(new int[4], new int[3]));
    }
}
