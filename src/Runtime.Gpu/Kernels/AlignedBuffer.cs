using System;

namespace Dsl.Kernels;

/// <summary>
/// A growable float scratch buffer on the pinned object heap whose start is 64-byte aligned, so
/// kernels can keep raw pointers into it (workers read it without <c>fixed</c>) and vector loads
/// never straddle a cache line. Grows only, so steady-state use allocates nothing.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignmentFloats = 16; // 64 bytes

    private float[] _array = Array.Empty<float>();

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
        int size = (int)Math.Min(Array.MaxLength - AlignmentFloats, Math.Max((long)floats, (long)Capacity * 3 / 2));
        _array = GC.AllocateUninitializedArray<float>(size + AlignmentFloats, pinned: true);
        fixed (float* start = _array)
        {
            // The array is pinned for its lifetime, so the address stays valid after 'fixed' ends.
            nint misalignment = (nint)start & (AlignmentFloats * sizeof(float) - 1);
            Pointer = misalignment == 0 ? start : (float*)((byte*)start + (AlignmentFloats * sizeof(float) - misalignment));
        }

        Capacity = size;
        return Pointer;
    }
}
