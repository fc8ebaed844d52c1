using System;
using System.Runtime.Intrinsics;
using Dsl.Kernels;

namespace Dsl;

/// <summary>
/// How optimizer passes split a flat buffer: fixed blocks of <see cref="BlockSize"/> floats,
/// run on the calling thread for small models and across cores with <see cref="CpuParallel"/>
/// for large ones.
/// </summary>
internal static class FusedUpdate
{
    /// <summary>Floats per block (64 KB): big enough to amortise a hand-off, small enough to balance.</summary>
    public const int BlockSize = 1 << 14;

    /// <summary>Buffers longer than this many floats are split across cores.</summary>
    public const int ParallelThreshold = 1 << 16;

    public static readonly bool Use512 = Vector512.IsHardwareAccelerated;
    public static readonly bool Use256 = Vector256.IsHardwareAccelerated;

    public static int BlockCount(int count) => (count + BlockSize - 1) / BlockSize;

    public static (int Start, int End) BlockRange(int block, int count) =>
        (block * BlockSize, Math.Min(count, (block + 1) * BlockSize));

    /// <summary>Calls <paramref name="body"/> over block ranges covering all of [0, count).</summary>
    public static void ForEachBlock(int count, Action<int, int> body)
    {
        int blocks = BlockCount(count);
        if (count > ParallelThreshold)
            CpuParallel.For(blocks, 1, body);
        else if (blocks > 0)
            body(0, blocks);
    }
}
