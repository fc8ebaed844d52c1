using System;
using System.Globalization;

namespace Dsl;

// torch.gather with float indices (as ArgMax gives them): the compiled kernels take the same
// indices. An index must be a whole number in [0, n) here; the compiled kernels cannot throw, and
// read NaN there instead.
public static partial class Ops
{
    /// <summary>
    /// torch.gather(x, axis, index): <c>y[i, j] = x[index[i, j], j]</c> for axis 0 (and so on for
    /// the others). The index has x's rank and x's length on every axis but <paramref name="axis"/>;
    /// the result has the index's shape. Gather(x, a, ArgMax(x, a, true)) is Max(x, a, true).
    /// The gradient goes to x at the indices; the indices carry none.
    /// </summary>
    /// <param name="x">The values, rank 1 or more.</param>
    /// <param name="axis">The axis to index, from the front or (negative) the end.</param>
    /// <param name="index">Whole numbers in [0, n) for x's length n along the axis.</param>
    /// <returns>A tensor of the index's shape.</returns>
    /// <exception cref="ArgumentException">The index's shape does not fit x's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or an index is not a whole number in [0, n).</exception>
    public static Tensor Gather(Tensor x, int axis, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        int a = Axis(x, axis, nameof(axis), "Gather");
        int[] shape = x.ShapeArray, at = index.ShapeArray;
        bool fits = at.Length == shape.Length;
        for (int d = 0; fits && d < shape.Length; d++)
        {
            fits = d == a || at[d] == shape[d];
        }

        if (!fits)
        {
            throw new ArgumentException($"Gather along axis {axis}: an index of {index.ShapeText} does not fit x's {x.ShapeText} (the same rank, and x's length on every other axis).", nameof(index));
        }

        int n = shape[a], k = at[a], inner = 1;
        for (int d = a + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var result = new double[index.Length];
        for (int e = 0; e < result.Length; e++)
        {
            double i = index.DataArray[e];
            if (!(i >= 0 && i < n && i == Math.Floor(i)))
            {
                throw new ArgumentOutOfRangeException(nameof(index), string.Create(CultureInfo.InvariantCulture,
                    $"Gather along axis {axis}: index {i} is not a whole number from 0 to {n - 1}."));
            }

            // e = (o·k + j)·inner + s in the index; x's element is (o·n + i)·inner + s.
            int s = e % inner, o = e / inner / k;
            result[e] = x.DataArray[((((o * n) + (int)i) * inner) + s)];
        }

        return Tensor.Create((int[])at.Clone(), result);
    }
}
