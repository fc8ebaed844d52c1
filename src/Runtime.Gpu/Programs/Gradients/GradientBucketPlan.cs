using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl;

/// <summary>
/// Buckets merged to a size target, as PyTorch DDP's <c>bucket_cap_mb</c>: the parameters in
/// reverse layout order (the order their gradients tend to become final), neighbours in the flat
/// gradient joined while the bucket stays within the cap, each bucket a contiguous range. A
/// parameter larger than the cap is a bucket of its own.
/// </summary>
internal sealed class GradientBucketPlan
{
    private readonly int[] _bucketOf;
    private readonly int[] _members;

    private GradientBucketPlan(IReadOnlyList<GradientBucket> buckets, int[] bucketOf)
    {
        Buckets = buckets;
        _bucketOf = bucketOf;
        _members = new int[buckets.Count];
        foreach (int b in bucketOf)
            _members[b]++;
    }

    /// <summary>The merged buckets, in the order they become final (the last of their parameters).</summary>
    public IReadOnlyList<GradientBucket> Buckets { get; }

    /// <summary>The merged bucket that holds parameter bucket <paramref name="parameterBucket"/>.</summary>
    public int BucketOf(int parameterBucket) => _bucketOf[parameterBucket];

    /// <summary>How many parameter buckets merged bucket <paramref name="bucket"/> holds.</summary>
    public int Members(int bucket) => _members[bucket];

    /// <summary>One bucket per parameter, as the program's own list: what a cap of 0 means.</summary>
    public static GradientBucketPlan PerParameter(IReadOnlyList<GradientBucket> parameterBuckets) =>
        new(parameterBuckets, Enumerable.Range(0, parameterBuckets.Count).ToArray());

    /// <summary>Merges the program's per-parameter buckets (in the order they become final) up to <paramref name="capBytes"/> each.</summary>
    public static GradientBucketPlan Merge(IReadOnlyList<GradientBucket> parameterBuckets, long capBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capBytes);
        var groups = new List<List<int>>();
        List<int>? group = null;
        long groupBytes = 0;
        int groupStart = -1;
        foreach (int p in Enumerable.Range(0, parameterBuckets.Count).OrderByDescending(i => parameterBuckets[i].Offset))
        {
            GradientBucket bucket = parameterBuckets[p];
            long bytes = (long)bucket.Length * sizeof(float);
            // A group grows downwards through the flat gradient: the next parameter must end where it starts.
            if (group is null || bucket.Offset + bucket.Length != groupStart || groupBytes + bytes > capBytes)
            {
                group = new List<int>();
                groups.Add(group);
                groupBytes = 0;
            }
            group.Add(p);
            groupBytes += bytes;
            groupStart = bucket.Offset;
        }

        // Ready order: a bucket is final when its last parameter is.
        var ordered = groups.OrderBy(g => g.Max()).ToList();
        var bucketOf = new int[parameterBuckets.Count];
        var merged = new GradientBucket[ordered.Count];
        for (int b = 0; b < ordered.Count; b++)
        {
            var members = ordered[b].OrderBy(p => parameterBuckets[p].Offset).ToList();
            foreach (int p in members)
                bucketOf[p] = b;
            merged[b] = new GradientBucket(b, parameterBuckets[members[0]].Offset, members.Sum(p => parameterBuckets[p].Length),
                members.SelectMany(p => parameterBuckets[p].Parameters).ToArray());
        }

        return new GradientBucketPlan(merged, bucketOf);
    }
}
