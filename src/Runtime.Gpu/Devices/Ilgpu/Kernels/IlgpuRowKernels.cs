using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The row kernels of <c>rows.cl</c> as ILGPU kernels, with the CPU's formulas. The softmaxes and
/// cross-entropy run one thread group per row (grid-stride over the rows) and reduce the row's maximum and sum
/// in shared memory (<see cref="GroupReduction"/>); the rest a row (or column) per step of a thread's grid-stride loop.
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
    /// Each row below rows (a group's, grid-stride over the rows): y = exp(x - max) · (1 / Σ exp(x - max))
    /// over the visible entries (all, or the causal prefix), or x - (max + log Σ exp(x - max)) for
    /// <see cref="LogSoftmax"/>.
    /// </summary>
    public static void SoftmaxRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols, int mode)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        for (int r = Grid.IdxX; r < rows; r += Grid.DimX)
            SoftmaxRow(scratch, r, x, y, cols, mode);
    }

    /// <summary>Each row below rows (a group's): loss = logsumexp(logits) - logits[label].</summary>
    public static void CrossEntropyRows(int rows, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> loss, int cols)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        for (int r = Grid.IdxX; r < rows; r += Grid.DimX)
        {
            int row = r * cols;
            float max = RowMax(scratch, logits, row, cols);
            float sum = RowExpSum(scratch, logits, row, cols, max);
            if (Group.IdxX == 0)
                loss[r] = max + MathF.Log(sum) - logits[row + labels[r]];
        }
    }

    /// <summary>
    /// Each row below rows (a group's): dx = u·(softmax(logits) - onehot(label)), u = weights[r] when
    /// <paramref name="perRow"/> is 1, else <paramref name="weight"/>; as <c>Rows.CrossEntropyBackward</c>,
    /// exp(x - max)·(u / Σ exp(x - max)), then -u at the label.
    /// </summary>
    public static void CrossEntropyGradRows(
        int rows, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> weights, ArrayView<float> dx, int cols, int perRow, float weight)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        for (int r = Grid.IdxX; r < rows; r += Grid.DimX)
            CrossEntropyGradRow(scratch, r, logits, labels, weights, dx, cols, perRow, weight);
    }

    private static void SoftmaxRow(ArrayView<float> scratch, int r, ArrayView<float> x, ArrayView<float> y, int cols, int mode)
    {
        int t = Group.IdxX, size = Group.DimX, row = r * cols;
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

    private static void CrossEntropyGradRow(
        ArrayView<float> scratch, int r, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> weights, ArrayView<float> dx, int cols, int perRow, float weight)
    {
        int t = Group.IdxX, size = Group.DimX, row = r * cols;
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

    /// <summary>y[r] = Σ_c x[r, c] for each row below rows, a row per step of a thread's loop.</summary>
    public static void SumRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            float sum = 0f;
            for (int c = 0; c < cols; c++)
                sum += x[(r * cols) + c];
            y[r] = sum;
        }
    }

    /// <summary>y[c] = Σ_r x[r, c] for each column below cols, a column per step, the rows in order.</summary>
    public static void SumColumns(int cols, ArrayView<float> x, ArrayView<float> y, int rows)
    {
        for (int c = IlgpuGridStride.Start; c < cols; c += IlgpuGridStride.Stride)
        {
            float sum = 0f;
            for (int r = 0; r < rows; r++)
                sum += x[(r * cols) + c];
            y[c] = sum;
        }
    }

    /// <summary>y[r, :] = x[r] for each row below rows.</summary>
    public static void ExpandLastRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            float value = x[r];
            for (int c = 0; c < cols; c++)
                y[(r * cols) + c] = value;
        }
    }

    /// <summary>y[r, :] = x[:] for each row below rows.</summary>
    public static void TileRows(int rows, ArrayView<float> x, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            for (int c = 0; c < cols; c++)
                y[(r * cols) + c] = x[c];
        }
    }

    /// <summary>correct[r] = 1 when the first largest logit of row r is at labels[r], else 0 (a NaN counts as the largest), for each row below rows.</summary>
    public static void AccuracyRows(int rows, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> correct, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
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
    }

    /// <summary>y[r, :] = onehot(labels[r]) for each row below rows.</summary>
    public static void OneHotRows(int rows, ArrayView<int> labels, ArrayView<float> y, int cols)
    {
        for (int r = IlgpuGridStride.Start; r < rows; r += IlgpuGridStride.Stride)
        {
            int label = labels[r];
            for (int c = 0; c < cols; c++)
                y[(r * cols) + c] = c == label ? 1f : 0f;
        }
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
