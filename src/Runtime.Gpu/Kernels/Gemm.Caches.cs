using System;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

// The cache sizes the blocking is cut to, as the processor reports them (CPUID's deterministic
// cache parameters: leaf 4 on Intel, leaf 0x8000001D on AMD), never assumed from one machine:
// Zen 4 has a 32 KB L1d, Zen 5 and Sapphire Rapids 48 KB; the depth of a packed B micro-panel
// (KC) is cut so that the panel never exceeds the L1.
public static partial class Gemm
{
    /// <summary>The L1 data cache assumed when the processor does not say (the smallest of current x86 cores).</summary>
    private const int DefaultL1Bytes = 32 * 1024;

    /// <summary>
    /// The size of the data (or unified) cache of <paramref name="level"/>, or null when CPUID
    /// does not describe it (not x86, an older processor, or a hypervisor that hides the leaf).
    /// </summary>
    internal static int? DataCacheBytes(int level)
    {
        if (!X86Base.IsSupported)
            return null;
        (int maxLeaf, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        bool amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163; // "AuthenticAMD"
        int leaf = amd ? unchecked((int)0x8000001D) : 4;
        if (amd ? (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x8000001D : maxLeaf < 4)
            return null;

        for (int index = 0; index < 16; index++)
        {
            (int eax, int b, int sets, _) = X86Base.CpuId(leaf, index);
            int type = eax & 0x1F; // 0: no more caches, 1: data, 2: instruction, 3: unified
            if (type == 0)
                break;
            if ((type == 1 || type == 3) && ((eax >> 5) & 0x7) == level)
            {
                long bytes = (long)(((b >> 22) & 0x3FF) + 1) * (((b >> 12) & 0x3FF) + 1) * ((b & 0xFFF) + 1) * ((long)(uint)sets + 1);
                return bytes is >= 4096 and <= 1L << 30 ? (int)bytes : null;
            }
        }

        return null;
    }
}
