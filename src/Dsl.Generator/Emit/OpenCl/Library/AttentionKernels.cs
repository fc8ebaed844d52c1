using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// Attention's kernels of <c>Dsl.Kernels.Sequences</c> and <c>Dsl.Kernels.Rows</c> in OpenCL C:
/// the head movement (one work-item per element of the heads, [batch, H, T, dh], so neighbouring
/// work-items move neighbouring floats of a head) and the causal softmax (one work-item per row,
/// with the CPU's formula over the row's first i + 1 entries).
/// </summary>
internal static class AttentionKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    public static readonly KernelLauncher SplitLauncher = Launcher("SplitHeads", "split_heads", "one work-item per element of the heads", "total");

    public static readonly KernelLauncher MergeLauncher = Launcher("MergeHeads", "merge_heads", "one work-item per element of the rows", "total * parts");

    /// <summary>
    /// A launcher between rows [batch, T, parts·heads·dh] and heads [batch, heads, T, dh] over
    /// <paramref name="items"/> work-items (total: the heads' element count).
    /// </summary>
    private static KernelLauncher Launcher(string name, string kernelName, string items, string count) => new(name, $$"""
        /// <summary>Runs {{kernelName}} between rows [batch, T, parts·heads·dh] and heads [batch, heads, T, dh]: {{items}}.</summary>
        private static void {{name}}({{Kernel}} kernel, int batch, int length, int heads, int headWidth, int part, int parts, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset)
        {
            int total = batch * heads * length * headWidth;
            kernel.SetArg(0, length);
            kernel.SetArg(1, heads);
            kernel.SetArg(2, headWidth);
            kernel.SetArg(3, part);
            kernel.SetArg(4, parts);
            kernel.SetArg(5, total);
            kernel.SetArg(6, x);
            kernel.SetArg(7, xOffset);
            kernel.SetArg(8, y);
            kernel.SetArg(9, yOffset);
            kernel.Launch(RoundUp({{count}}, 64));
        }
        """);

    /// <summary>Head element z's place in the rows: example e, head h, position t, column j.</summary>
    private const string RowElement = """
        const int e = z / (heads * length * headWidth), h = z / (length * headWidth) % heads;
            const int t = z / headWidth % length, j = z % headWidth;
            const int rowElement = (e * length + t) * parts * heads * headWidth + (part * heads + h) * headWidth + j;
        """;

    public static readonly LibraryKernel SplitHeads = new("split_heads", $$"""
        // y[e, h, t, j] = x[e, t, (part * heads + h) * dh + j]: split_heads, one part of a fused projection cut into heads.
        __kernel void split_heads(const int length, const int heads, const int headWidth, const int part, const int parts, const int total,
                                  __global const float* x, const int xo,
                                  __global float* y, const int yo)
        {
            const int z = get_global_id(0);
            if (z >= total) return;
            {{RowElement}}
            y[yo + z] = x[xo + rowElement];
        }
        """, SplitLauncher);

    public static readonly LibraryKernel MergeHeads = new("merge_heads", $$"""
        // y[e, t, (part * heads + h) * dh + j] = x[e, h, t, j], zero in the other parts: merge_heads.
        // Work-items from total on write those zeros, (parts - 1) * heads * dh per row.
        __kernel void merge_heads(const int length, const int heads, const int headWidth, const int part, const int parts, const int total,
                                  __global const float* x, const int xo,
                                  __global float* y, const int yo)
        {
            const int z = get_global_id(0);
            if (z < total)
            {
                {{RowElement}}
                y[yo + rowElement] = x[xo + z];
                return;
            }
            const int inPart = heads * headWidth, others = (parts - 1) * inPart, q = z - total;
            if (q >= total / inPart * others) return;
            const int row = q / others, c = q % others;
            y[yo + row * parts * inPart + (c < part * inPart ? c : c + inPart)] = 0.0f;
        }
        """, MergeLauncher);

    public static readonly LibraryKernel CausalSoftmax = new("causal_softmax_rows", """
        // y[r, :i+1] = softmax(x[r, :i+1]), y[r, i+1:] = 0 for i = r mod T (T = cols): attention weights under a causal mask.
        __kernel void causal_softmax_rows(const int rows, const int cols,
                                          __global const float* x, const int xo,
                                          __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            const int visible = r % cols + 1;
            __global const float* xr = x + xo + r * cols;
            __global float* yr = y + yo + r * cols;
            float max = xr[0];
            for (int c = 1; c < visible; c++)
                max = xr[c] > max ? xr[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < visible; c++)
            {
                const float e = exp(xr[c] - max);
                yr[c] = e;
                sum += e;
            }
            const float scale = 1.0f / sum;
            for (int c = 0; c < visible; c++)
                yr[c] *= scale;
            for (int c = visible; c < cols; c++)
                yr[c] = 0.0f;
        }
        """, RowKernels.RowsLauncher);
}
