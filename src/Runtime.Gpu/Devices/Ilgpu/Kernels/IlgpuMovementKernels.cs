using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The movement kernels of <c>movement.cl</c> and <c>heads.cl</c> as ILGPU kernels, an element moved
/// per step of a thread's grid-stride loop (gather: a row; scatter-add: a column). They only move floats, and
/// scatter-add adds in the CPU's row order, so they match the CPU bit for bit.
/// </summary>
internal static class IlgpuMovementKernels
{
    /// <summary>y[o, j, m, i, n] = x[o, i, m, j, n]: x viewed as [outer, a, middle, b, inner].</summary>
    public static void SwapAxes(int count, ArrayView<float> x, ArrayView<float> y, int a, int middle, int b, int inner)
    {
        for (int gid = IlgpuGridStride.Start; gid < count; gid += IlgpuGridStride.Stride)
            SwapAxesElement(gid, x, y, a, middle, b, inner);
    }

    /// <summary>Block copies (concat parts into place, split slices out, reshape): count copied floats.</summary>
    public static void CopyBlocks(
        int count, ArrayView<float> x, ArrayView<float> y, int sourceBlocks, int width,
        int sourceStride, int sourceOffset, int destinationStride, int destinationOffset)
    {
        for (int gid = IlgpuGridStride.Start; gid < count; gid += IlgpuGridStride.Stride)
        {
            int k = gid / width, c = gid % width;
            y[(k * destinationStride) + destinationOffset + c] = x[((k % sourceBlocks) * sourceStride) + sourceOffset + c];
        }
    }

    /// <summary>y[i, j] = 1 where j ≤ i, else 0: the [n, n] causal mask (count = n²).</summary>
    public static void CausalMask(int count, ArrayView<float> y, int n)
    {
        for (int gid = IlgpuGridStride.Start; gid < count; gid += IlgpuGridStride.Stride)
            y[gid] = gid % n <= gid / n ? 1f : 0f;
    }

    /// <summary>y[e, h, t, j] = x[e, t, (part·heads + h)·dh + j]: one part of a fused projection cut into heads (count elements).</summary>
    public static void SplitHeads(int count, ArrayView<float> x, ArrayView<float> y, int length, int heads, int headWidth, int part, int parts)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
            y[z] = x[HeadRowElement(z, length, heads, headWidth, part, parts)];
    }

    /// <summary>
    /// y[e, t, (part·heads + h)·dh + j] = x[e, h, t, j], zero in the other parts: items from
    /// <paramref name="total"/> on (up to count) write those zeros, (parts - 1)·heads·dh per row.
    /// </summary>
    public static void MergeHeads(int count, ArrayView<float> x, ArrayView<float> y, int length, int heads, int headWidth, int part, int parts, int total)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
            MergeHeadsElement(z, x, y, length, heads, headWidth, part, parts, total);
    }

    /// <summary>y[r, :] = table[ids[r], :] for each row below rows: an embedding's lookup (the ids were checked on the host).</summary>
    public static void GatherRows(int rows, ArrayView<float> table, ArrayView<int> ids, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            int source = ids[r] * cols, target = r * cols;
            for (int c = 0; c < cols; c++)
                y[target + c] = table[source + c];
        }
    }

    /// <summary>
    /// table[c, :] = Σ x[r, :] over the rows r with ids[r] = c: column j of the whole table is one
    /// item, so no two threads write one element (no atomics) and the sums run in the CPU's row order.
    /// </summary>
    public static void ScatterAddRows(int columns, ArrayView<int> ids, ArrayView<float> x, ArrayView<float> table, int rows, int cols, int count)
    {
        for (int j = IlgpuGridStride.Start; j < columns; j += IlgpuGridStride.Stride)
        {
            for (int c = 0; c < count; c++)
                table[(c * cols) + j] = 0f;
            for (int r = 0; r < rows; r++)
                table[(ids[r] * cols) + j] += x[(r * cols) + j];
        }
    }

    private static void SwapAxesElement(int gid, ArrayView<float> x, ArrayView<float> y, int a, int middle, int b, int inner)
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

    private static void MergeHeadsElement(int z, ArrayView<float> x, ArrayView<float> y, int length, int heads, int headWidth, int part, int parts, int total)
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

    /// <summary>Head element z's place in the rows [batch, T, parts·heads·dh]: example e, head h, position t, column j.</summary>
    private static int HeadRowElement(int z, int length, int heads, int headWidth, int part, int parts)
    {
        int e = z / (heads * length * headWidth), h = z / (length * headWidth) % heads;
        int t = z / headWidth % length, j = z % headWidth;
        return ((((e * length) + t) * parts * heads * headWidth) + (((part * heads) + h) * headWidth)) + j;
    }
}
