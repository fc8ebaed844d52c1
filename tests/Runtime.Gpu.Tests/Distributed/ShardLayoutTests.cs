using Xunit;

namespace Dsl.Tests.Distributed;

/// <summary>ZeRO-1's split of a flat buffer over the ranks: contiguous, in rank order, the remainder on the first ranks.</summary>
public sealed class ShardLayoutTests
{
    [Fact]
    public void TheFirstRanksTakeOneFloatOfTheRemainderEach()
    {
        var layout = new ShardLayout(11, 3);
        Assert.Equal([4, 4, 3], layout.Counts);
        Assert.Equal([0, 4, 8], layout.Offsets);
    }

    [Fact]
    public void FewerFloatsThanRanksLeaveTheLastRanksEmpty()
    {
        var layout = new ShardLayout(2, 4);
        Assert.Equal([1, 1, 0, 0], layout.Counts);
        Assert.Equal([0, 1, 2, 2], layout.Offsets);
    }

    [Fact]
    public void OneRankOwnsEverything()
    {
        var layout = new ShardLayout(1_863_690, 1);
        Assert.Equal([1_863_690], layout.Counts);
        Assert.Equal([0], layout.Offsets);
    }
}
