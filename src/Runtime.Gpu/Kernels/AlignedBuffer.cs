using System;
using System.Runtime.InteropServices;

namespace Dsl.Kernels;

/// <summary>
/// A growable float scratch buffer in native memory whose start is 64-byte aligned, so kernels
/// can keep raw pointers into it (workers read it without <c>fixed</c>) and vector loads never
/// straddle a cache line. Grows only, so steady-state use allocates nothing.
/// </summary>
/// <remarks>
/// Native rather than a pinned array so that growing frees the smaller block at once: a
/// program's first calls grow the packing buffers shape by shape, and pinned arrays left behind
/// would stay in the working set until a full collection. The buffers are per thread and live
/// as long as it does, so the finalizer, not a Dispose call, frees the last block.
/// </remarks>
internal sealed unsafe class AlignedBuffer
{
    private const nuint AlignmentBytes = 64;

    /// <summary>The aligned start; valid for <see cref="Capacity"/> floats until the next <see cref="Ensure"/> that grows.</summary>
    public float* Pointer { get; private set; }

    /// <summary>The number of usable floats from <see cref="Pointer"/>.</summary>
    public int Capacity { get; private set; }

    /// <summary>Makes room for at least <paramref name="floats"/> floats, reallocating (rarely) when smaller.</summary>
    /// <param name="floats">The size needed.</param>
    /// <returns>The aligned start.</returns>
    public float* Ensure(int floats)
    {
        if (floats <= Capacity)
            return Pointer;

        // Round up generously so a slowly growing size does not reallocate on every call.
        int size = (int)Math.Min(Array.MaxLength, Math.Max((long)floats, (long)Capacity * 3 / 2));
        // The old contents are not kept, so the old block goes before the new one is taken.
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
        Capacity = 0;
        Pointer = (float*)NativeMemory.AlignedAlloc((nuint)size * sizeof(float), AlignmentBytes);
        Capacity = size;
        return Pointer;
    }

    ~AlignedBuffer() => NativeMemory.AlignedFree(Pointer);
}
