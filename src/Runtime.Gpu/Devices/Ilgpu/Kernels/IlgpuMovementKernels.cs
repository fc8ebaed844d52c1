using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The movement kernels of <c>movement.cl</c> and <c>heads.cl</c> as ILGPU kernels, one thread per
/// element moved (gather: per row; scatter-add: per column). They only move floats, and
/// scatter-add adds in the CPU's row order, so they match the CPU bit for bit.
/// </summary>
internal static class IlgpuMovementKernels
{
    /// <summary>y[o, j, m, i, n] = x[o, i, m, j, n]: x viewed as [outer, a, middle, b, inner].</summary>
    public static void SwapAxes(Index1D gid, ArrayView<float> x, ArrayView<float> y, int a, int middle, int b, int inner)
    {
        int k = gid;
        int n = k % inner;
        k /= inner;
        int i = k % a;
        k /= a;
        int m = k % middle;
        k /= middle;
        int j = k % b;
        int o = k / b;
        y[gid] = x[((((((o * a) + i) * middle) + m) * b) + j) * inner + n];
    }

    /// <summary>Block copies (concat parts into place, split slices out, reshape): one thread per copied float.</summary>
    public static void CopyBlocks(
        Index1D gid, ArrayView<float> x, ArrayView<float> y, int sourceBlocks, int width,
        int sourceStride, int sourceOffset, int destinationStride, int destinationOffset)
    {
        int k = gid / width, c = gid % width;
        y[(k * destinationStride) + destinationOffset + c] = x[((k % sourceBlocks) * sourceStride) + sourceOffset + c];
    }

    /// <summary>y[i, j] = 1 where j ≤ i, else 0: the [n, n] causal mask.</summary>
    public static void CausalMask(Index1D gid, ArrayView<float> y, int n) => y[gid] = gid % n <= gid / n ? 1f : 0f;

    /// <summary>y[e, h, t, j] = x[e, t, (part·heads + h)·dh + j]: one part of a fused projection cut into heads.</summary>
    public static void SplitHeads(Index1D z, ArrayView<float> x, ArrayView<float> y, int length, int heads, int headWidth, int part, int parts) =>
        y[z] = x[HeadRowElement(z, length, heads, headWidth, part, parts)];

    /// <summary>
    /// y[e, t, (part·heads + h)·dh + j] = x[e, h, t, j], zero in the other parts: threads from
    /// <paramref name="total"/> on write those zeros, (parts - 1)·heads·dh per row.
    /// </summary>
    public static void MergeHeads(Index1D z, ArrayView<float> x, ArrayView<float> y, int length, int heads, int headWidth, int part, int parts, int total)
    {
        if (z < total)
        {
            y[HeadRowElement(z, length, heads, headWidth, part, parts)] = x[z];
            return;
        }

        int inPart = heads * headWidth, others = (parts - 1) * inPart, q = z - total;
        int row = q / others, c = q % others;
        y[(row * parts * inPart) + (c < part * inPart ? c : c + inPart)] = 0f;
    }

    /// <summary>y[r, :] = table[ids[r], :]: an embedding's lookup (the ids were checked on the host).</summary>
    public static void GatherRows(Index1D r, ArrayView<float> table, ArrayView<int> ids, ArrayView<float> y, int cols)
    {
        int source = ids[r] * cols, target = r * cols;
        for (int c = 0; c < cols; c++)
            y[target + c] = table[source + c];
    }

    /// <summary>
    /// table[c, :] = Σ x[r, :] over the rows r with ids[r] = c: thread j owns column j of the whole
    /// table, so no two threads write one element (no atomics) and the sums run in the CPU's row order.
    /// </summary>
    public static void ScatterAddRows(Index1D j, ArrayView<int> ids, ArrayView<float> x, ArrayView<float> table, int rows, int cols, int count)
    {
        for (int c = 0; c < count; c++)
            table[(c * cols) + j] = 0f;
        for (int r = 0; r < rows; r++)
            table[(ids[r] * cols) + j] += x[(r * cols) + j];
    }

    /// <summary>Head element z's place in the rows [batch, T, parts·heads·dh]: example e, head h, position t, column j.</summary>
    private static int HeadRowElement(int z, int length, int heads, int headWidth, int part, int parts)
    {
        int e = z / (heads * length * headWidth), h = z / (length * headWidth) % heads;
        int t = z / headWidth % length, j = z % headWidth;
        return ((((e * length) + t) * parts * heads * headWidth) + (((part * heads) + h) * headWidth)) + j;
    }
}
