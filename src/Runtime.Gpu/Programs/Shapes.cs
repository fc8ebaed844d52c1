using System;

namespace Dsl;

/// <summary>Arithmetic on tensor shapes shared by signatures, data columns and predictions.</summary>
internal static class Shapes
{
    /// <summary>The number of elements of <paramref name="shape"/> (1 for a scalar, <c>[]</c>); the caller has checked it fits an int.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        int size = 1;
        foreach (int dimension in shape)
            size *= dimension;
        return size;
    }
}
