using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The movement kernels of <c>Dsl.Kernels.Movement</c> in OpenCL C, one work-item per element
/// written: an axis swap in the view [outer, a, middle, b, inner], a block copy (a Concat part, a
/// Split slice, a Reshape) and the causal mask. They only move floats, so they match the CPU bit for bit.
/// </summary>
internal static class MovementKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    public static readonly KernelLauncher SwapAxesLauncher = new("SwapAxes", $$"""
        /// <summary>Runs swap_axes, y[o, j, m, i, n] = x[o, i, m, j, n]: one work-item per element.</summary>
        private static void SwapAxes({{Kernel}} kernel, int outer, int a, int middle, int b, int inner, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, outer);
            kernel.SetArg(1, a);
            kernel.SetArg(2, middle);
            kernel.SetArg(3, b);
            kernel.SetArg(4, inner);
            kernel.SetArg(5, x);
            kernel.SetArg(6, xOffset);
            kernel.SetArg(7, y);
            kernel.SetArg(8, yOffset);
            kernel.Launch(RoundUp(outer * a * middle * b * inner, 64));
        }
        """);

    public static readonly KernelLauncher CopyBlocksLauncher = new("CopyBlocks", $$"""
        /// <summary>Runs copy_blocks: block k of width floats from x[(k mod sourceBlocks)·sourceStride + sourceOffset] to y[k·destinationStride + destinationOffset].</summary>
        private static void CopyBlocks({{Kernel}} kernel, int blocks, int sourceBlocks, int width, int sourceStride, int sourceOffset, int destinationStride, int destinationOffset, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, blocks);
            kernel.SetArg(1, sourceBlocks);
            kernel.SetArg(2, width);
            kernel.SetArg(3, sourceStride);
            kernel.SetArg(4, sourceOffset);
            kernel.SetArg(5, destinationStride);
            kernel.SetArg(6, destinationOffset);
            kernel.SetArg(7, x);
            kernel.SetArg(8, xOffset);
            kernel.SetArg(9, y);
            kernel.SetArg(10, yOffset);
            kernel.Launch(RoundUp(blocks * width, 64));
        }
        """);

    public static readonly KernelLauncher CausalMaskLauncher = new("CausalMask", $$"""
        /// <summary>Runs causal_mask, y[i, j] = j ≤ i ? 1 : 0 over [n, n]: one work-item per element.</summary>
        private static void CausalMask({{Kernel}} kernel, int n, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, n);
            kernel.SetArg(1, y);
            kernel.SetArg(2, yOffset);
            kernel.Launch(RoundUp(n * n, 64));
        }
        """);

    public static readonly LibraryKernel SwapAxes = new("swap_axes", """
        // y[o, j, m, i, n] = x[o, i, m, j, n]: transpose, x viewed as [outer, a, middle, b, inner].
        __kernel void swap_axes(const int outer, const int a, const int middle, const int b, const int inner,
                                __global const float* x, const int xo,
                                __global float* y, const int yo)
        {
            const int gid = get_global_id(0);
            if (gid >= outer * a * middle * b * inner) return;
            int k = gid;
            const int n = k % inner; k /= inner;
            const int i = k % a; k /= a;
            const int m = k % middle; k /= middle;
            const int j = k % b;
            const int o = k / b;
            y[yo + gid] = x[xo + (((o * a + i) * middle + m) * b + j) * inner + n];
        }
        """, SwapAxesLauncher);

    public static readonly LibraryKernel CopyBlocks = new("copy_blocks", """
        // Block copies: concat parts into their place, split slices out of it, reshape.
        __kernel void copy_blocks(const int blocks, const int sourceBlocks, const int width,
                                  const int sourceStride, const int sourceOffset,
                                  const int destinationStride, const int destinationOffset,
                                  __global const float* x, const int xo,
                                  __global float* y, const int yo)
        {
            const int gid = get_global_id(0);
            if (gid >= blocks * width) return;
            const int k = gid / width, c = gid % width;
            y[yo + k * destinationStride + destinationOffset + c] = x[xo + (k % sourceBlocks) * sourceStride + sourceOffset + c];
        }
        """, CopyBlocksLauncher);

    public static readonly LibraryKernel CausalMask = new("causal_mask", """
        // y[i, j] = 1 where j <= i, else 0: the [n, n] causal mask.
        __kernel void causal_mask(const int n, __global float* y, const int yo)
        {
            const int gid = get_global_id(0);
            if (gid >= n * n) return;
            y[yo + gid] = gid % n <= gid / n ? 1.0f : 0.0f;
        }
        """, CausalMaskLauncher);
}
