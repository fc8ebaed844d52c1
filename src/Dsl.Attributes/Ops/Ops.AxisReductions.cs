using System;

namespace Dsl;

// Reductions and normalizations over one axis, as torch.sum/amax/argmax/softmax/logsumexp with a
// dim: the axis counts from the front, or (negative) from the end; keepDim keeps it with length 1.
// Max and Min return the values (torch.max(x, dim).values); the compiled gradient goes to the
// first maximum of each line, as torch.max(x, dim)'s does (torch.amax would split it at a tie).
public static partial class Ops
{
    /// <summary>torch.sum(x, axis, keepdim): the sum over one axis.</summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis to sum over, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The sums.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAxis(x, Axis(x, axis, nameof(axis), "Sum"), keepDim, static values => SumOf(values));
    }

    /// <summary>torch.max(x, axis, keepdim).values: the largest value of each line along one axis.</summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The maxima.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAxis(x, Axis(x, axis, nameof(axis), "Max"), keepDim, static values => values[FirstMaximum(values)]);
    }

    /// <summary>torch.max(x): the largest element, a scalar.</summary>
    /// <param name="x">The input, one element or more.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Max(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(x.DataArray[FirstMaximum(x.DataArray)]);
    }

    /// <summary>torch.min(x, axis, keepdim).values: the smallest value of each line along one axis.</summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The minima.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Min(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAxis(x, Axis(x, axis, nameof(axis), "Min"), keepDim, static values => -NegatedMaximum(values));
    }

    /// <summary>torch.min(x): the smallest element, a scalar.</summary>
    /// <param name="x">The input, one element or more.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Min(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(-NegatedMaximum(x.DataArray));
    }

    /// <summary>
    /// torch.argmax(x, axis, keepdim): the index of the first largest value of each line, as a
    /// number. It carries no gradient.
    /// </summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The indices (0 to n − 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor ArgMax(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAxis(x, Axis(x, axis, nameof(axis), "ArgMax"), keepDim, static values => FirstMaximum(values));
    }

    /// <summary>
    /// torch.logsumexp(x, axis, keepdim): <c>m + ln Σ exp(x − m)</c> over one axis, m the line's
    /// maximum (so exp cannot overflow).
    /// </summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The log-sum-exps.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor LogSumExp(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAxis(x, Axis(x, axis, nameof(axis), "LogSumExp"), keepDim, static values =>
        {
            (double max, double logSum) = ShiftedLogSumExp(values);
            return max + logSum;
        });
    }

    /// <summary>torch.softmax(x, axis): softmax along one axis, each line summing to 1.</summary>
    /// <param name="x">The scores, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <returns>Probabilities of <paramref name="x"/>'s shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Softmax(Tensor x, int axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Ops.MapAxis(x, Axis(x, axis, nameof(axis), "Softmax"), Softmax);
    }

    /// <summary>torch.log_softmax(x, axis): log-softmax along one axis.</summary>
    /// <param name="x">The scores, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <returns>Log-probabilities of <paramref name="x"/>'s shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor LogSoftmax(Tensor x, int axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Ops.MapAxis(x, Axis(x, axis, nameof(axis), "LogSoftmax"), LogSoftmax);
    }

    // The index of the first largest value; a NaN counts as the largest (torch.max and argmax
    // return NaN), the compiled kernels' rule.
    private static int FirstMaximum(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Max, Min and ArgMax need at least one element.");
        }

        int best = 0;
        for (int i = 1; i < values.Length && !double.IsNaN(values[best]); i++)
        {
            if (values[i] > values[best] || double.IsNaN(values[i]))
            {
                best = i;
            }
        }

        return best;
    }

    // max(−v): Min as the compiler computes it, −Max(−x).
    private static double NegatedMaximum(ReadOnlySpan<double> values)
    {
        var negated = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            negated[i] = -values[i];
        }

        return negated[FirstMaximum(negated)];
    }

    // Applies a last-axis operation (Softmax, LogSoftmax) to every line along axis a: each line is
    // gathered into a vector, mapped, and written back at its strided places.
    private static Tensor MapAxis(Tensor x, int a, Func<Tensor, Tensor> function)
    {
        int[] shape = x.ShapeArray;
        int n = shape[a], inner = 1;
        for (int d = a + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        int outer = n == 0 || inner == 0 ? 0 : x.Length / (n * inner);
        var result = new double[x.Length];
        var line = new double[n];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    line[j] = x.DataArray[(((o * n) + j) * inner) + i];
                }

                double[] mapped = function(Tensor.Create(new[] { n }, line)).DataArray;
                for (int j = 0; j < n; j++)
                {
                    result[(((o * n) + j) * inner) + i] = mapped[j];
                }
            }
        }

        return Tensor.Create(shape, result);
    }
}
