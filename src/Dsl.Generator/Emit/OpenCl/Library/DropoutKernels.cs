using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The dropout kernel of <c>Dsl.Kernels.DropoutKernels</c> in OpenCL C: Philox4x32-10 in uint
/// arithmetic and <c>mul_hi</c>, the keep test on the draw's top 24 bits, one work-item per element.
/// The text is <c>DropoutKernels.OpenClSource</c>'s (a test holds them equal), so the masks are the
/// CPU program's bit for bit.
/// </summary>
internal static class DropoutKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    public static readonly KernelLauncher Launcher = new("Dropout", $$"""
        /// <summary>Runs dropout, y = x · mask / (1 − p) over n elements, the mask of (key, site, step): one work-item per element.</summary>
        private static void Dropout({{Kernel}} kernel, int n, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset, ulong key, uint site, uint step, float p)
        {
            kernel.SetArg(0, n);
            kernel.SetArg(1, x);
            kernel.SetArg(2, xOffset);
            kernel.SetArg(3, y);
            kernel.SetArg(4, yOffset);
            kernel.SetArg(5, unchecked((int)(uint)key));
            kernel.SetArg(6, unchecked((int)(uint)(key >> 32)));
            kernel.SetArg(7, unchecked((int)site));
            kernel.SetArg(8, unchecked((int)step));
            kernel.SetArg(9, 0);
            kernel.SetArg(10, 0);
            kernel.SetArg(11, unchecked((int){{TypeNames.DropoutKernels}}.Threshold(p)));
            kernel.SetArg(12, {{TypeNames.DropoutKernels}}.Scale(p));
            kernel.Launch(RoundUp(n, 64));
        }
        """);

    /// <summary>The kernel source: the same text as <c>Dsl.Kernels.DropoutKernels.OpenClSource</c>.</summary>
    public static readonly LibraryKernel Dropout = new("dropout", """
        // Philox4x32-10 block (Random123's philox4x32_R with R = 10) of counter c under key (k0, k1).
        uint4 philox4x32_10(uint4 c, uint k0, uint k1)
        {
            for (int round = 0; round < 10; round++)
            {
                if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
                const uint lo0 = 0xD2511F53u * c.x, hi0 = mul_hi(0xD2511F53u, c.x);
                const uint lo1 = 0xCD9E8D57u * c.z, hi1 = mul_hi(0xCD9E8D57u, c.z);
                c = (uint4)(hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
            }
            return c;
        }

        // y[yo + i] = keep(start + i) ? x[xo + i] * scale : 0, keep when the draw's top 24 bits >= threshold.
        __kernel void dropout(const int n, __global const float* x, const int xo, __global float* y, const int yo,
                              const uint seed_lo, const uint seed_hi, const uint site, const uint step,
                              const uint start_lo, const uint start_hi, const uint threshold, const float scale)
        {
            const int i = get_global_id(0);
            if (i >= n) return;
            const uint index_lo = start_lo + (uint)i;
            const uint index_hi = start_hi + (index_lo < start_lo ? 1u : 0u);
            const uint4 counter = (uint4)((index_lo >> 2) | (index_hi << 30), index_hi >> 2, site, step);
            const uint4 r = philox4x32_10(counter, seed_lo, seed_hi);
            const uint lane = index_lo & 3u;
            const uint bits = lane == 0u ? r.x : lane == 1u ? r.y : lane == 2u ? r.z : r.w;
            y[yo + i] = (bits >> 8) >= threshold ? x[xo + i] * scale : 0.0f;
        }
        """, Launcher);
}
