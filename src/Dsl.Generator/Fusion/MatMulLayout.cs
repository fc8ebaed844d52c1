using Dsl.Generator.Checking;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>
/// How a <see cref="OpKind.MatMul"/> node runs as GEMMs, for every backend: the product's sizes and
/// where each operand's matrix of (example, leading index) starts in its array.
/// </summary>
/// <param name="Count">Products per example: the product of the output's leading axes.</param>
/// <param name="ABatchStride">Floats between examples' A (0: A is unbatched).</param>
/// <param name="AStride">Floats between leading indices' A (0: A is one shared matrix).</param>
/// <param name="IsOneGemm">
/// B is one unbatched matrix and A is not transposed, so the batch and the leading axes are just
/// more rows of A and C: a single (rows·m)×k by k×n product.
/// </param>
/// <param name="Rows">The rows of the single GEMM of <see cref="IsOneGemm"/>.</param>
internal sealed record MatMulLayout(
    bool TransposeA, bool TransposeB, int M, int N, int K, int Count,
    int ABatchStride, int AStride, int BBatchStride, int BStride, bool IsOneGemm, KernelSize Rows)
{
    public static MatMulLayout Of(Node c, Graph g)
    {
        Node a = g[c.Inputs[0]], b = g[c.Inputs[1]];
        bool ta = c.Attributes[0] != 0, tb = c.Attributes[1] != 0;
        int m = c.Shape[c.Shape.Rank - 2], n = c.Shape.Last;
        int k = a.Shape[a.Shape.Rank - (ta ? 2 : 1)];
        int count = ShapeRules.MatrixLeading(c.Shape).Size;
        bool aLeading = a.Shape.Rank > 2, bLeading = b.Shape.Rank > 2;
        bool oneGemm = !ta && !b.Batched && !bLeading;
        // An unbatched A with a shared B gives an unbatched C: its rows are one example's.
        return new MatMulLayout(ta, tb, m, n, k, count,
            a.Batched ? a.Shape.Size : 0, aLeading ? m * k : 0,
            b.Batched ? b.Shape.Size : 0, bLeading ? k * n : 0, oneGemm, KernelSize.Of(count * m, a.Batched));
    }
}
