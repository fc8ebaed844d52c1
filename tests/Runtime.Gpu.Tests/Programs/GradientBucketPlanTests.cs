using System.Linq;
using Xunit;

namespace Dsl.Tests.Programs;

/// <summary>
/// Merging a program's per-parameter buckets to a size cap (PyTorch DDP's <c>bucket_cap_mb</c>):
/// neighbours in the flat gradient, from the end backwards, each merged bucket a contiguous range,
/// numbered in the order their last parameter becomes final.
/// </summary>
public sealed class GradientBucketPlanTests
{
    // Layout a[0,10) b[10,12) c[12,112) d[112,115), final in the order d, c, b, a (the backward pass).
    private static readonly GradientBucket[] s_parameters =
    [
        new(0, 112, 3, ["d"]),
        new(1, 12, 100, ["c"]),
        new(2, 10, 2, ["b"]),
        new(3, 0, 10, ["a"]),
    ];

    [Fact]
    public void AParameterLargerThanTheCapIsABucketOfItsOwnAndItsNeighboursMerge()
    {
        GradientBucketPlan plan = GradientBucketPlan.Merge(s_parameters, 20 * sizeof(float));

        Assert.Equal([(0, 112, 3), (1, 12, 100), (2, 0, 12)], plan.Buckets.Select(b => (b.Index, b.Offset, b.Length)));
        Assert.Equal(["a", "b"], plan.Buckets[2].Parameters);
        Assert.Equal([0, 1, 2, 2], Enumerable.Range(0, 4).Select(plan.BucketOf));
        Assert.Equal([1, 1, 2], Enumerable.Range(0, 3).Select(plan.Members));
    }

    [Fact]
    public void ACapAboveTheWholeGradientMakesOneBucket()
    {
        GradientBucketPlan plan = GradientBucketPlan.Merge(s_parameters, 25L * 1024 * 1024);

        GradientBucket only = Assert.Single(plan.Buckets);
        Assert.Equal((0, 0, 115), (only.Index, only.Offset, only.Length));
        Assert.Equal(["a", "b", "c", "d"], only.Parameters);
        Assert.Equal(4, plan.Members(0));
    }

    [Fact]
    public void ABucketNeverSpansAGapInTheLayout()
    {
        // A parameter no step writes is missing here: c and a are not neighbours.
        GradientBucket[] gapped = [new(0, 12, 100, ["c"]), new(1, 0, 10, ["a"])];
        GradientBucketPlan plan = GradientBucketPlan.Merge(gapped, 1024 * sizeof(float));

        Assert.Equal([(12, 100), (0, 10)], plan.Buckets.Select(b => (b.Offset, b.Length)));
    }
}
