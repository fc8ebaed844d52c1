using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// Sums and maxima across one thread group through shared memory, in a fixed tree (halving
/// widths), so that a group of a given size adds in the same order every run: no atomics, no
/// dependence on timing. Every thread of the group must call them, with the same scratch.
/// </summary>
internal static class GroupReduction
{
    /// <summary>The largest group the row kernels are launched with: the length of their shared scratch (a power of two).</summary>
    public const int MaxGroupSize = 256;

    /// <summary>The sum of <paramref name="value"/> over the group's threads, returned to every thread.</summary>
    public static float Sum(ArrayView<float> scratch, float value)
    {
        int t = Group.IdxX;
        scratch[t] = value;
        Group.Barrier();
        for (int width = Group.DimX / 2; width > 0; width /= 2)
        {
            if (t < width)
                scratch[t] += scratch[t + width];
            Group.Barrier();
        }

        float result = scratch[0];
        // The scratch is reused by the next reduction: every thread reads the result first.
        Group.Barrier();
        return result;
    }

    /// <summary>The largest <paramref name="value"/> over the group's threads (the CPU's comparison: a NaN is skipped), returned to every thread.</summary>
    public static float Max(ArrayView<float> scratch, float value)
    {
        int t = Group.IdxX;
        scratch[t] = value;
        Group.Barrier();
        for (int width = Group.DimX / 2; width > 0; width /= 2)
        {
            if (t < width)
            {
                float other = scratch[t + width];
                scratch[t] = other > scratch[t] ? other : scratch[t];
            }

            Group.Barrier();
        }

        float result = scratch[0];
        Group.Barrier();
        return result;
    }
}
