using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>Sum of all elements: <c>Σ_i x[i]</c>. Shape: any → scalar <c>[]</c>; an empty tensor sums to 0.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Sum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(SumOf(x.Data));
    }

    /// <summary>Mean of all elements: <c>(Σ_i x[i]) / n</c>. Shape: any → scalar <c>[]</c>; an empty tensor gives NaN.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(SumOf(x.Data) / x.Length);
    }

    // A plain left-to-right sum: the reference is exact enough in double, and its order is the
    // one a reader expects when stepping through it.
    private static double SumOf(ReadOnlySpan<double> values)
    {
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
