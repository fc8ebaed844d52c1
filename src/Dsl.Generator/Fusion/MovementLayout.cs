using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>
/// The counts the movement kernels take (Dsl.Kernels.Movement and its device twins), worked out
/// once for every backend: a transpose as a swap in the view [outer, a, middle, b, inner], a
/// concat part or a slice as a block copy between rows. The batch folds into the outer count
/// (<see cref="KernelSize"/>: <c>batch * 4</c>).
/// </summary>
internal static class MovementLayout
{
    /// <summary>Transpose's (outer, a, middle, b, inner).</summary>
    public static (KernelSize Outer, int A, int Middle, int B, int Inner) Swap(Graph g, Node node)
    {
        Shape x = g[node.Inputs[0]].Shape;
        int low = node.Attributes[0], high = node.Attributes[1];
        return (KernelSize.Of(Product(x, 0, low), node.Batched), x[low], Product(x, low + 1, high), x[high], Product(x, high + 1, x.Rank));
    }

    /// <summary>One block copy: x's blocks (repeating after <c>SourceBlocks</c>) into y's.</summary>
    public sealed record BlockCopy(int Source, KernelSize Blocks, KernelSize SourceBlocks, int Width, int SourceStride, int SourceOffset, int DestinationStride, int DestinationOffset);

    /// <summary>One copy per part of a Concat, each into its place along the axis.</summary>
    public static IReadOnlyList<BlockCopy> Concat(Graph g, Node node)
    {
        int axis = node.Attributes[0], outer = Product(node.Shape, 0, axis), inner = Product(node.Shape, axis + 1, node.Shape.Rank);
        KernelSize blocks = KernelSize.Of(outer, node.Batched);
        var copies = new List<BlockCopy>();
        int offset = 0;
        foreach (int part in node.Inputs)
        {
            int width = g[part].Shape[axis] * inner;
            copies.Add(new BlockCopy(part, blocks, KernelSize.Of(outer, g[part].Batched), width, width, 0, node.Shape[axis] * inner, offset));
            offset += width;
        }
        return copies;
    }

    /// <summary>A Slice as one copy out of each row of x.</summary>
    public static BlockCopy Slice(Graph g, Node node)
    {
        Shape x = g[node.Inputs[0]].Shape;
        int axis = node.Attributes[0], inner = Product(x, axis + 1, x.Rank);
        KernelSize blocks = KernelSize.Of(Product(x, 0, axis), node.Batched);
        int width = node.Attributes[2] * inner;
        return new BlockCopy(node.Inputs[0], blocks, blocks, width, x[axis] * inner, node.Attributes[1] * inner, width, 0);
    }

    private static int Product(Shape shape, int from, int to) => Enumerable.Range(from, to - from).Aggregate(1, (p, d) => p * shape[d]);

}
