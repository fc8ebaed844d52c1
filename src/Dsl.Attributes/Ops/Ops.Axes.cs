using System;

namespace Dsl;

// Reductions over one axis, matrix products and selection: Mean/Variance(x, axis) as torch.mean /
// torch.var with dim, MatMul as torch.matmul, Where as torch.where.
public static partial class Ops
{
    /// <summary>
    /// torch.mean(x, axis, keepdim): the mean over one axis. Shape: <c>[..., n, ...]</c> → the same
    /// without that axis, or with it of length 1 when <paramref name="keepDim"/>.
    /// </summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis to average over, from the front or (negative) the end.</param>
    /// <param name="keepDim">Keep the axis with length 1 (so the result broadcasts back as torch's keepdim=True).</param>
    /// <returns>The means.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Axis(x, axis, nameof(axis), "Mean");
        return ReduceAxis(x, a, keepDim, values => SumOf(values) / values.Length);
    }

    /// <summary>
    /// torch.var(x, axis, unbiased, keepdim): the variance over one axis, Σ(x − mean)² / (n − 1)
    /// when <paramref name="unbiased"/> (torch.var's default, Bessel's correction) or / n when not
    /// (the biased variance nn.LayerNorm uses). With n = 1 the unbiased variance is NaN, as torch's.
    /// </summary>
    /// <param name="x">The input, rank 1 or more.</param>
    /// <param name="axis">The axis, from the front or (negative) the end.</param>
    /// <param name="unbiased">Divide by n − 1 (true, torch's default) or by n (false).</param>
    /// <param name="keepDim">Keep the axis with length 1.</param>
    /// <returns>The variances.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor Variance(Tensor x, int axis, bool unbiased = true, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Axis(x, axis, nameof(axis), "Variance");
        return ReduceAxis(x, a, keepDim, values =>
        {
            double mean = SumOf(values) / values.Length, squares = 0;
            foreach (double v in values)
            {
                squares += (v - mean) * (v - mean);
            }

            return squares / (values.Length - (unbiased ? 1 : 0));
        });
    }

    /// <summary>
    /// torch.matmul for rank 2 or more: <c>[..., m, k] · [..., k, n]</c> → <c>[..., m, n]</c>, one
    /// matrix product per leading index. The leading axes agree, or one side is a plain matrix
    /// [m, k] / [k, n] used for every leading index.
    /// </summary>
    /// <param name="a">The left factor, [..., m, k].</param>
    /// <param name="b">The right factor, [..., k, n].</param>
    /// <returns>The products, [..., m, n].</returns>
    /// <exception cref="ArgumentException">A rank below 2, inner dimensions that differ, or leading axes that disagree.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException($"MatMul needs tensors of rank 2 or more; got {a.ShapeText} and {b.ShapeText}.");
        }

        int m = a.ShapeArray[a.Rank - 2], k = a.ShapeArray[a.Rank - 1], n = b.ShapeArray[b.Rank - 1];
        if (b.ShapeArray[b.Rank - 2] != k)
        {
            throw new ArgumentException($"MatMul of {a.ShapeText} and {b.ShapeText}: the inner dimensions {k} and {b.ShapeArray[b.Rank - 2]} differ.");
        }

        int[] leading = MatMulLeading(a, b);
        int count = Product(leading);
        var result = new double[count * m * n];
        for (int l = 0; l < count; l++)
        {
            int aAt = a.Rank == 2 ? 0 : l * m * k, bAt = b.Rank == 2 ? 0 : l * k * n;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a.DataArray[aAt + (i * k) + p] * b.DataArray[bAt + (p * n) + j];
                    }

                    result[(l * m * n) + (i * n) + j] = sum;
                }
            }
        }

        int[] shape = new int[leading.Length + 2];
        leading.CopyTo(shape, 0);
        shape[^2] = m;
        shape[^1] = n;
        return Tensor.Create(shape, result);
    }

    /// <summary>torch.where: <c>condition ≠ 0 ? a : b</c> element by element, the operands broadcast to one shape as NumPy's.</summary>
    /// <param name="condition">Nonzero where <paramref name="a"/> is taken.</param>
    /// <param name="a">The values where the condition holds.</param>
    /// <param name="b">The values elsewhere.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The operands do not broadcast to one shape.</exception>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // The operands broadcast to one shape as the operators' do.
        int[] shape = Tensor.BroadcastShape(condition.ShapeArray, a.ShapeArray) is { } ca ? Tensor.BroadcastShape(ca, b.ShapeArray) ?? [] : [];
        Func<int, int>? c = Tensor.BroadcastIndex(condition, shape), x = Tensor.BroadcastIndex(a, shape), y = Tensor.BroadcastIndex(b, shape);
        if (c is null || x is null || y is null)
        {
            throw new ArgumentException($"Where(condition {condition.ShapeText}, a {a.ShapeText}, b {b.ShapeText}): the operands must broadcast to one shape ({Tensor.BroadcastRule}).");
        }

        var result = new double[Product(shape)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = condition.DataArray[c(i)] != 0 ? a.DataArray[x(i)] : b.DataArray[y(i)];
        }

        return Tensor.Create(shape, result);
    }

    /// <summary>torch.where with a scalar for the other branch: <c>Where(CausalMask(n), scores, -1e9)</c>.</summary>
    /// <param name="condition">Nonzero where <paramref name="a"/> is taken.</param>
    /// <param name="a">The values where the condition holds.</param>
    /// <param name="b">The value elsewhere.</param>
    /// <returns>A tensor of the operands' shape.</returns>
    public static Tensor Where(Tensor condition, Tensor a, double b) => Where(condition, a, Tensor.Scalar(b));

    /// <summary>torch.where with a scalar where the condition holds.</summary>
    /// <param name="condition">Nonzero where <paramref name="a"/> is taken.</param>
    /// <param name="a">The value where the condition holds.</param>
    /// <param name="b">The values elsewhere.</param>
    /// <returns>A tensor of the operands' shape.</returns>
    public static Tensor Where(Tensor condition, double a, Tensor b) => Where(condition, Tensor.Scalar(a), b);

    /// <summary>The leading axes of a matrix product: equal on both sides, or those of the side that has any.</summary>
    private static int[] MatMulLeading(Tensor a, Tensor b)
    {
        int[] left = a.ShapeArray[..^2], right = b.ShapeArray[..^2];
        if (left.Length == 0)
        {
            return right;
        }

        if (right.Length == 0 || left.AsSpan().SequenceEqual(right))
        {
            return left;
        }

        throw new ArgumentException($"MatMul of {a.ShapeText} and {b.ShapeText}: the leading (batch) axes must agree, or one side must be a plain matrix.");
    }

    /// <summary>Applies <paramref name="reduce"/> to each line of axis a.</summary>
    private static Tensor ReduceAxis(Tensor x, int a, bool keepDim, Func<double[], double> reduce)
    {
        int[] shape = x.ShapeArray;
        int n = shape[a], inner = 1, outer = 1;
        for (int d = a + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        for (int d = 0; d < a; d++)
        {
            outer *= shape[d];
        }

        var result = new double[outer * inner];
        var line = new double[n];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    line[j] = x.DataArray[(((o * n) + j) * inner) + i];
                }

                result[(o * inner) + i] = reduce(line);
            }
        }

        int[] reduced = keepDim ? (int[])shape.Clone() : new int[shape.Length - 1];
        if (keepDim)
        {
            reduced[a] = 1;
        }
        else
        {
            for (int d = 0, r = 0; d < shape.Length; d++)
            {
                if (d != a)
                {
                    reduced[r++] = shape[d];
                }
            }
        }

        return Tensor.Create(reduced, result);
    }
}
