using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The row kernels of <c>rows.cl</c> as ILGPU kernels, with the CPU's formulas. The softmaxes and
/// cross-entropy run one thread group per row (grid = rows) and reduce the row's maximum and sum
/// in shared memory (<see cref="GroupReduction"/>); the rest run one thread per row (or column).
/// Every view already starts at its operand's offset.
/// </summary>
internal static class IlgpuRowKernels
{
    /// <summary><see cref="SoftmaxRows"/>'s mode: y = softmax(x).</summary>
    public const int Softmax = 0;

    /// <summary><see cref="SoftmaxRows"/>'s mode: y = x - logsumexp(x).</summary>
    public const int LogSoftmax = 1;

    /// <summary><see cref="SoftmaxRows"/>'s mode: row r sees its first r mod cols + 1 entries, the rest of y is 0.</summary>
    public const int CausalSoftmax = 2;

    /// <summary>
    /// Row <c>Grid.IdxX</c>: y = exp(x - max) · (1 / Σ exp(x - max)) over the visible entries
    /// (all, or the causal prefix), or x - (max + log Σ exp(x - max)) for <see cref="LogSoftmax"/>.
    /// </summary>
    public static void SoftmaxRows(ArrayView<float> x, ArrayView<float> y, int cols, int mode)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        int r = Grid.IdxX, t = Group.IdxX, size = Group.DimX, row = r * cols;
        int visible = mode == CausalSoftmax ? (r % cols) + 1 : cols;
        float max = RowMax(scratch, x, row, visible);
        float sum = 0f;
        for (int c = t; c < visible; c += size)
            sum += MathF.Exp(x[row + c] - max);
        sum = GroupReduction.Sum(scratch, sum);
        if (mode == LogSoftmax)
        {
            float logSum = max + MathF.Log(sum);
            for (int c = t; c < cols; c += size)
                y[row + c] = x[row + c] - logSum;
            return;
        }

        float scale = 1f / sum;
        for (int c = t; c < cols; c += size)
            y[row + c] = c < visible ? MathF.Exp(x[row + c] - max) * scale : 0f;
    }

    /// <summary>Row <c>Grid.IdxX</c>: loss = logsumexp(logits) - logits[label].</summary>
    public static void CrossEntropyRows(ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> loss, int cols)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        int r = Grid.IdxX, row = r * cols;
        float max = RowMax(scratch, logits, row, cols);
        float sum = RowExpSum(scratch, logits, row, cols, max);
        if (Group.IdxX == 0)
            loss[r] = max + MathF.Log(sum) - logits[row + labels[r]];
    }

    /// <summary>
    /// Row <c>Grid.IdxX</c>: dx = u·(softmax(logits) - onehot(label)), u = weights[r] when
    /// <paramref name="perRow"/> is 1, else <paramref name="weight"/>; as <c>Rows.CrossEntropyBackward</c>,
    /// exp(x - max)·(u / Σ exp(x - max)), then -u at the label.
    /// </summary>
    public static void CrossEntropyGradRows(
        ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> weights, ArrayView<float> dx, int cols, int perRow, float weight)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        int r = Grid.IdxX, t = Group.IdxX, size = Group.DimX, row = r * cols;
        float u = perRow != 0 ? weights[r] : weight;
        float max = RowMax(scratch, logits, row, cols);
        float sum = RowExpSum(scratch, logits, row, cols, max);
        float scale = u / sum;
        int label = labels[r];
        for (int c = t; c < cols; c += size)
        {
            float value = MathF.Exp(logits[row + c] - max) * scale;
            dx[row + c] = c == label ? value - u : value;
        }
    }

    /// <summary>y[r] = Σ_c x[r, c], one thread per row.</summary>
    public static void SumRows(Index1D r, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        float sum = 0f;
        for (int c = 0; c < cols; c++)
            sum += x[(r * cols) + c];
        y[r] = sum;
    }

    /// <summary>y[c] = Σ_r x[r, c], one thread per column, the rows in order.</summary>
    public static void SumColumns(Index1D c, ArrayView<float> x, ArrayView<float> y, int rows, int cols)
    {
        float sum = 0f;
        for (int r = 0; r < rows; r++)
            sum += x[(r * cols) + c];
        y[c] = sum;
    }

    /// <summary>y[r, :] = x[r], one thread per row.</summary>
    public static void ExpandLastRows(Index1D r, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        float value = x[r];
        for (int c = 0; c < cols; c++)
            y[(r * cols) + c] = value;
    }

    /// <summary>y[r, :] = x[:], one thread per row.</summary>
    public static void TileRows(Index1D r, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        for (int c = 0; c < cols; c++)
            y[(r * cols) + c] = x[c];
    }

    /// <summary>correct[r] = 1 when the first largest logit of row r is at labels[r], else 0 (a NaN counts as the largest).</summary>
    public static void AccuracyRows(Index1D r, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> correct, int cols)
    {
        int row = r * cols, best = 0;
        for (int c = 1; c < cols && !float.IsNaN(logits[row + best]); c++)
        {
            float value = logits[row + c];
            if (value > logits[row + best] || float.IsNaN(value))
                best = c;
        }

        correct[r] = best == labels[r] ? 1f : 0f;
    }

    /// <summary>y[r, :] = onehot(labels[r]).</summary>
    public static void OneHotRows(Index1D r, ArrayView<int> labels, ArrayView<float> y, int cols)
    {
        int label = labels[r];
        for (int c = 0; c < cols; c++)
            y[(r * cols) + c] = c == label ? 1f : 0f;
    }

    /// <summary>The largest of x[row + c] for c &lt; n, across the group.</summary>
    private static float RowMax(ArrayView<float> scratch, ArrayView<float> x, int row, int n)
    {
        float max = float.NegativeInfinity;
        for (int c = Group.IdxX; c < n; c += Group.DimX)
        {
            float value = x[row + c];
            max = value > max ? value : max;
        }

        return GroupReduction.Max(scratch, max);
    }

    /// <summary>Σ exp(x[row + c] - max) for c &lt; n, across the group.</summary>
    private static float RowExpSum(ArrayView<float> scratch, ArrayView<float> x, int row, int n, float max)
    {
        float sum = 0f;
        for (int c = Group.IdxX; c < n; c += Group.DimX)
            sum += MathF.Exp(x[row + c] - max);
        return GroupReduction.Sum(scratch, sum);
    }
}
