using System;

namespace Dsl;

public static partial class EagerLayers
{
    /// <summary>
    /// A lookup table, as <c>torch.nn.Embedding</c>: <c>y[t, :] = weight[ids[t], :]</c>.
    /// Shapes: <c>ids [T]</c>, <c>weight [count, dimension]</c> → <c>y [T, dimension]</c>.
    /// </summary>
    /// <param name="ids">The ids, each in <c>0 .. count - 1</c>.</param>
    /// <param name="weight">The table, <c>[count, dimension]</c>.</param>
    /// <returns>One row of the table per position.</returns>
    /// <exception cref="ArgumentException">The weight is not a matrix, or there are no ids.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table (the message names it and its position).</exception>
    public static Tensor Embedding(Tokens ids, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || ids.Length == 0)
        {
            throw new ArgumentException($"Embedding: weight {weight.ShapeText} must be [count, dimension] and ids non-empty (got {ids.Length}).", nameof(weight));
        }

        int count = weight.ShapeArray[0], dimension = weight.ShapeArray[1];
        var output = new double[ids.Length * dimension];
        for (int t = 0; t < ids.Length; t++)
        {
            if (ids[t] >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids[t], $"Embedding: id {ids[t]} at position {t} is outside the table of {count} rows.");
            }

            weight.Data.Slice(ids[t] * dimension, dimension).CopyTo(output.AsSpan(t * dimension, dimension));
        }

        return Tensor.Create(new[] { ids.Length, dimension }, output);
    }

    /// <summary>
    /// Layer normalisation over the last axis, as <c>torch.nn.LayerNorm</c>:
    /// <c>y = (x - mean) / sqrt(var + eps) · weight + bias</c> per row, the variance biased.
    /// Shapes: <c>x [..., d]</c>, <c>weight [d]</c>, <c>bias [d]</c> → <c>y [..., d]</c>.
    /// </summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="weight">The scale, <c>[d]</c>.</param>
    /// <param name="bias">The shift, <c>[d]</c>.</param>
    /// <returns>The normalised rows.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        if (x.Rank == 0 || weight.Rank != 1 || bias.Rank != 1 || weight.Length != x.ShapeArray[^1] || bias.Length != weight.Length)
        {
            throw new ArgumentException($"LayerNorm: input {x.ShapeText}, weight {weight.ShapeText} and bias {bias.ShapeText} must be [..., d], [d] and [d].", nameof(x));
        }

        int d = weight.Length, rows = x.Length / Math.Max(1, d);
        var output = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = x.Data.Slice(r * d, d);
            double mean = 0.0;
            foreach (double v in row)
            {
                mean += v;
            }

            mean /= d;
            double variance = 0.0;
            foreach (double v in row)
            {
                variance += (v - mean) * (v - mean);
            }

            double inverse = 1.0 / Math.Sqrt(variance / d + LayerNormAttribute.Epsilon);
            for (int j = 0; j < d; j++)
            {
                output[r * d + j] = (row[j] - mean) * inverse * weight[j] + bias[j];
            }
        }

        return Tensor.Create((int[])x.ShapeArray.Clone(), output);
    }
}
