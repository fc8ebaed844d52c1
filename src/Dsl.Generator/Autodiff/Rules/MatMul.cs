using System;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// C = op(A)·op(B) batched over leading axes. Its cotangents are two more batched products whose
// transpose flags absorb every transpose, so none is ever materialised:
//   dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC, and a stored Aᵀ (Bᵀ) takes the transpose of its own.
// An unbatched operand's per-example product is summed over the batch by reverse mode's
// unbroadcast (BatchSum). A matrix shared by every leading index needs a sum over those too: where
// the leading index runs along the contracted rows (X·W for X [..., m, k], W [k, n]) that is one
// GEMM over all rows of the batch, OuterBatchSum.
internal static partial class VjpRules
{
    /// <summary>C = op(A)·op(B): Ā and B̄ as above.</summary>
    internal static int?[] MatMul(GraphBuilder g, Node c, int dc)
    {
        int a = c.Inputs[0], b = c.Inputs[1];
        bool ta = c.Attributes[0] != 0, tb = c.Attributes[1] != 0;
        if (IsSharedAcrossLeading(g[a], g[b]))
            throw Unsupported(c, "a matrix A shared by the leading axes of B");
        int da = ta ? g.MatMul(b, dc, tb, true) : g.MatMul(dc, b, false, !tb);
        int db;
        if (IsSharedAcrossLeading(g[b], g[a]))
        {
            // B [k, n] (or stored [n, k]) shared by A's leading axes: the leading index and the batch
            // are more rows of A and dC, one outer product summed over all of them.
            if (ta || g[b].Batched)
                throw Unsupported(c, "a transposed A, or a per-example B, shared by the leading axes of A");
            db = tb ? g.OuterBatchSum(dc, a) : g.OuterBatchSum(a, dc);
        }
        else
            db = tb ? g.MatMul(dc, a, true, ta) : g.MatMul(a, dc, !ta, false);
        return new int?[] { da, db };
    }

    /// <summary>Whether <paramref name="operand"/> is a matrix the other operand's leading axes share.</summary>
    private static bool IsSharedAcrossLeading(Node operand, Node other) => operand.Shape.Rank == 2 && other.Shape.Rank > 2;

    private static NotSupportedException Unsupported(Node c, string what) =>
        new($"the gradient of {IrPrinter.OpName(c.Op)} %{c.Id} with {what} (write it with the leading axes on both operands)");
}

// Forward mode: the product is bilinear, so its tangent is the sum of two products.
internal static partial class JvpRules
{
    internal static int? MatMul(GraphBuilder g, Node c, int?[] t)
    {
        bool ta = c.Attributes[0] != 0, tb = c.Attributes[1] != 0;
        return Sum(g, Map(t[0], d => g.MatMul(d, c.Inputs[1], ta, tb)), Map(t[1], d => g.MatMul(c.Inputs[0], d, ta, tb)));
    }
}
