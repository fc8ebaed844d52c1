using System;

namespace Dsl;

public static partial class Ops
{
    /// <summary>
    /// Softmax over the last axis: <c>softmax(x)[i] = exp(x[i] - m) / Σ_j exp(x[j] - m)</c> with
    /// <c>m = max_j x[j]</c>. Subtracting the maximum changes nothing mathematically but keeps
    /// <c>exp</c> from overflowing (logits of 1000 and 1001 are fine). Shape: unchanged; rank ≥ 1
    /// (a per-example vector of class scores; for higher ranks each last-axis row is normalised).
    /// </summary>
    /// <param name="x">The scores, rank at least 1.</param>
    /// <returns>Probabilities of <paramref name="x"/>'s shape, each row summing to 1.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar.</exception>
    public static Tensor Softmax(Tensor x)
    {
        RequireAxis(x, nameof(Softmax));
        return MapRows(x, static (row, output) =>
        {
            double max = Max(row);
            double sum = 0.0;
            for (int i = 0; i < row.Length; i++)
            {
                output[i] = Math.Exp(row[i] - max);
                sum += output[i];
            }

            for (int i = 0; i < row.Length; i++)
            {
                output[i] /= sum;
            }
        });
    }

    /// <summary>
    /// Log-softmax over the last axis: <c>logsoftmax(x)[i] = x[i] - m - ln Σ_j exp(x[j] - m)</c>
    /// with <c>m = max_j x[j]</c>, evaluated as <c>(x[i] - m) - ln Σ</c>, not as
    /// <c>Log(Softmax(x))</c>, so that very negative log-probabilities stay finite and large logits
    /// keep their precision. Shape: unchanged; rank ≥ 1.
    /// </summary>
    /// <param name="x">The scores, rank at least 1.</param>
    /// <returns>Log-probabilities of <paramref name="x"/>'s shape.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is a scalar.</exception>
    public static Tensor LogSoftmax(Tensor x)
    {
        RequireAxis(x, nameof(LogSoftmax));
        return MapRows(x, static (row, output) =>
        {
            (double max, double logSum) = ShiftedLogSumExp(row);
            for (int i = 0; i < row.Length; i++)
            {
                output[i] = (row[i] - max) - logSum;
            }
        });
    }

    // logsumexp(v) = m + ln Σ exp(v[i] - m) with m = max(v), returned as the two terms (m, ln Σ).
    // Subtracting m keeps exp from overflowing; keeping the terms apart keeps precision, because
    // callers subtract m from a nearby value first: m + ln Σ would be rounded to m's scale
    // (about 1e-13 for logits near 1000).
    private static (double Max, double LogSum) ShiftedLogSumExp(ReadOnlySpan<double> values)
    {
        double max = Max(values);
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return (max, Math.Log(sum));
    }

    // The largest value; -∞ for an empty row. NaN compares false, so it never wins here, but it
    // still poisons the sums that follow, as it should.
    private static double Max(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        return max;
    }

    private delegate void RowFunction(ReadOnlySpan<double> row, Span<double> output);

    // Applies a function to each last-axis row of x, writing a same-shaped result.
    private static Tensor MapRows(Tensor x, RowFunction function)
    {
        int width = x.ShapeArray[^1];
        var result = new double[x.Length];
        for (int start = 0; start < x.Length; start += width)
        {
            function(x.Data.Slice(start, width), result.AsSpan(start, width));
        }

        return Tensor.Create(x.ShapeArray, result);
    }

    private static void RequireAxis(Tensor x, string operation)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            throw new ArgumentException(
                $"{operation} works over the last axis, but its input is a scalar ({x.ShapeText}).",
                nameof(x));
        }
    }
}
