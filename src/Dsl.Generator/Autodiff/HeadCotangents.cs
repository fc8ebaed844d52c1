using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff;

/// <summary>
/// Sums the cotangents that fan into one value, joining attention's head gradients. The fused
/// projection [T, parts·H·dh] is cut into q, k and v by <see cref="OpKind.SplitHeads"/>; each
/// cut's transpose is a <see cref="OpKind.MergeHeads"/> that writes its third and zeros the rest,
/// so summing the three as they arrive costs three zero-filled [T, 3d] arrays and an add over
/// them. Once every part has arrived they are one merge instead: the parts' heads joined along
/// the heads axis ([parts·H, T, dh]) and merged as parts·H heads of a single part, which lays
/// part p's head h at (p·H + h)·dh, where the sum put it. Each element is the one non-zero
/// term of the sum, so the values are those of the adds (a −0 stays −0 where x + 0 gave +0).
/// </summary>
internal static class HeadCotangents
{
    /// <summary>
    /// <paramref name="sum"/> + <paramref name="contribution"/>: one merge of the joined heads when
    /// the two hold every part of one projection's head gradients, else an add. A partial sum of
    /// merges stays an add, which dead-code removal drops once the joined merge replaces it.
    /// </summary>
    public static int Add(GraphBuilder g, int sum, int contribution)
    {
        var merges = new List<Node>();
        if (!CollectMerges(g, sum, merges) || !CollectMerges(g, contribution, merges) || !CoverEveryPart(g, merges))
            return g.Add(sum, contribution);
        int[] heads = merges.OrderBy(m => m.Attributes[0]).Select(m => m.Inputs[0]).ToArray();
        return g.MergeHeads(g.Concat(0, heads), 0, 1);
    }

    /// <summary>The merges that <paramref name="value"/> adds up (itself, or the leaves of an add tree of merges); false if anything else is summed.</summary>
    private static bool CollectMerges(GraphBuilder g, int value, List<Node> merges)
    {
        Node node = g[value];
        if (node.Op == OpKind.MergeHeads && node.Attributes[1] > 1)
        {
            merges.Add(node);
            return true;
        }
        return node.Op == OpKind.Add && CollectMerges(g, node.Inputs[0], merges) && CollectMerges(g, node.Inputs[1], merges);
    }

    /// <summary>Each part of the same split exactly once, from heads of one shape and batching.</summary>
    private static bool CoverEveryPart(GraphBuilder g, List<Node> merges)
    {
        Node first = g[merges[0].Inputs[0]];
        int parts = merges[0].Attributes[1];
        return merges.Count == parts
            && merges.Select(m => m.Attributes[0]).Distinct().Count() == parts
            && merges.All(m => m.Attributes[1] == parts && g[m.Inputs[0]].Shape == first.Shape && g[m.Inputs[0]].Batched == first.Batched);
    }
}
