using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// Kernels over per-example vectors stored as the rows of a row-major [rows, cols] matrix: the
/// softmax family, the classification loss and its gradient, accuracy, one-hot encoding, and the
/// reductions the generated code needs (a row's sum, a column's sum over the batch, a mean).
/// </summary>
/// <remarks>
/// Inputs may be longer than rows·cols (buffers sized for the largest batch); the extra elements
/// are ignored. Large matrices are split over rows (columns for <see cref="ColumnSum"/>) across
/// cores with <see cref="CpuParallel"/>; results do not depend on the split.
/// </remarks>
public static unsafe partial class Rows
{
    /// <summary>y[r, :] = softmax(x[r, :]), computed as exp(x - max) / Σ exp(x - max) so large logits cannot overflow.</summary>
    /// <param name="x">The inputs, [rows, cols].</param>
    /// <param name="y">The outputs, [rows, cols]; may be the same memory as <paramref name="x"/>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row (at least 1).</param>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckMatrix(y.Length, rows, cols, nameof(y));
        fixed (float* px = x, py = y)
            Run(new RowArgs(RowOp.Softmax, rows, cols) { X = px, Y = py });
    }

    /// <summary>
    /// Attention weights under a causal mask: row r of square [T, T] blocks (T = <paramref name="cols"/>)
    /// is the softmax of its first r mod T + 1 entries and exactly 0 after them; the masked inputs
    /// are never read.
    /// </summary>
    /// <param name="x">The scores, [rows, cols], rows a multiple of cols.</param>
    /// <param name="y">The weights, [rows, cols]; may be the same memory as <paramref name="x"/>.</param>
    /// <param name="rows">The number of rows (blocks × T).</param>
    /// <param name="cols">T, the length of a row and of a block.</param>
    /// <exception cref="ArgumentException">rows is not a multiple of cols, or a span is too short.</exception>
    public static void CausalSoftmax(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckMatrix(y.Length, rows, cols, nameof(y));
        if (cols < 1 || rows % cols != 0)
            throw new ArgumentException($"A causal softmax needs square [T, T] blocks; {rows} rows of {cols} are not.", nameof(rows));
        fixed (float* px = x, py = y)
            Run(new RowArgs(RowOp.CausalSoftmax, rows, cols) { X = px, Y = py });
    }

    /// <summary>y[r, :] = x[r, :] - logsumexp(x[r, :]) (max-subtracted, so it never overflows).</summary>
    /// <param name="x">The inputs, [rows, cols].</param>
    /// <param name="y">The outputs, [rows, cols]; may be the same memory as <paramref name="x"/>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row (at least 1).</param>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckMatrix(y.Length, rows, cols, nameof(y));
        fixed (float* px = x, py = y)
            Run(new RowArgs(RowOp.LogSoftmax, rows, cols) { X = px, Y = py });
    }

    /// <summary>y[r] = Σ_c x[r, c].</summary>
    /// <param name="x">The inputs, [rows, cols].</param>
    /// <param name="y">The sums, [rows].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row.</param>
    public static void Sum(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckVector(y.Length, rows, nameof(y));
        fixed (float* px = x, py = y)
            Run(new RowArgs(RowOp.Sum, rows, cols) { X = px, Y = py });
    }

    /// <summary>
    /// y[c] = Σ_r x[r, c] (or y[c] += when <paramref name="accumulate"/>): how the gradient of a
    /// parameter shared by every example (a bias) reduces over the batch.
    /// </summary>
    /// <param name="x">The inputs, [rows, cols].</param>
    /// <param name="y">The column sums, [cols].</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The length of each row.</param>
    /// <param name="accumulate">Add to <paramref name="y"/> instead of overwriting it.</param>
    public static void ColumnSum(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool accumulate = false)
    {
        CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckVector(y.Length, cols, nameof(y));
        fixed (float* px = x, py = y)
            RunColumns(new RowArgs(RowOp.ColumnSum, rows, cols) { X = px, Y = py, Accumulate = accumulate });
    }

    /// <summary>loss[r] = logsumexp(logits[r, :]) - logits[r, labels[r]], the per-example cross-entropy of <c>nn.CrossEntropyLoss(reduction='none')</c>.</summary>
    /// <param name="logits">The unnormalised scores, [rows, cols].</param>
    /// <param name="labels">The class of each row, [rows], each in [0, cols).</param>
    /// <param name="loss">The per-example losses, [rows].</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, cols); nothing is written.</exception>
    public static void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> loss, int rows, int cols)
    {
        CheckMatrix(logits.Length, rows, cols, nameof(logits));
        CheckLabels(labels, rows, cols);
        CheckVector(loss.Length, rows, nameof(loss));
        fixed (float* px = logits, py = loss)
        fixed (int* pl = labels)
            Run(new RowArgs(RowOp.CrossEntropy, rows, cols) { X = px, Y = py, Labels = pl });
    }

    /// <summary>
    /// logitsGradient[r, :] = lossGradient[r] · (softmax(logits[r, :]) - onehot(labels[r])), the
    /// gradient of <see cref="CrossEntropy"/> (or += when <paramref name="accumulate"/>).
    /// </summary>
    /// <param name="logits">The unnormalised scores, [rows, cols].</param>
    /// <param name="labels">The class of each row, [rows].</param>
    /// <param name="lossGradient">The gradient of the objective with respect to each example's loss, [rows] (1/B for a batch mean).</param>
    /// <param name="logitsGradient">The result, [rows, cols].</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="accumulate">Add to <paramref name="logitsGradient"/> instead of overwriting it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, cols); nothing is written.</exception>
    public static void CrossEntropyBackward(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> lossGradient, Span<float> logitsGradient,
        int rows, int cols, bool accumulate = false)
    {
        CheckMatrix(logits.Length, rows, cols, nameof(logits));
        CheckLabels(labels, rows, cols);
        CheckVector(lossGradient.Length, rows, nameof(lossGradient));
        CheckMatrix(logitsGradient.Length, rows, cols, nameof(logitsGradient));
        fixed (float* px = logits, pg = lossGradient, py = logitsGradient)
        fixed (int* pl = labels)
            Run(new RowArgs(RowOp.CrossEntropyBackward, rows, cols) { X = px, G = pg, Y = py, Labels = pl, Accumulate = accumulate });
    }

    /// <summary>
    /// logitsGradient[r, :] = lossGradient · (softmax(logits[r, :]) - onehot(labels[r])): the
    /// gradient of <see cref="CrossEntropy"/> when every example's loss has the same weight (1/B
    /// for a batch mean), so no per-row weights need be written first.
    /// </summary>
    /// <param name="logits">The unnormalised scores, [rows, cols].</param>
    /// <param name="labels">The class of each row, [rows].</param>
    /// <param name="lossGradient">The gradient of the objective with respect to every example's loss.</param>
    /// <param name="logitsGradient">The result, [rows, cols].</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, cols); nothing is written.</exception>
    public static void CrossEntropyBackward(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, float lossGradient, Span<float> logitsGradient, int rows, int cols)
    {
        CheckMatrix(logits.Length, rows, cols, nameof(logits));
        CheckLabels(labels, rows, cols);
        CheckMatrix(logitsGradient.Length, rows, cols, nameof(logitsGradient));
        fixed (float* px = logits, py = logitsGradient)
        fixed (int* pl = labels)
            Run(new RowArgs(RowOp.CrossEntropyBackward, rows, cols) { X = px, Y = py, Labels = pl, Scale = lossGradient });
    }

    /// <summary>correct[r] = 1 when the first largest logit of row r is at labels[r], else 0.</summary>
    /// <param name="logits">The scores, [rows, cols].</param>
    /// <param name="labels">The class of each row, [rows].</param>
    /// <param name="correct">1 or 0 per example, [rows].</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, cols); nothing is written.</exception>
    public static void Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> correct, int rows, int cols)
    {
        CheckMatrix(logits.Length, rows, cols, nameof(logits));
        CheckLabels(labels, rows, cols);
        CheckVector(correct.Length, rows, nameof(correct));
        fixed (float* px = logits, py = correct)
        fixed (int* pl = labels)
            Run(new RowArgs(RowOp.Accuracy, rows, cols) { X = px, Y = py, Labels = pl });
    }

    /// <summary>y[r, :] = onehot(labels[r]): 1 at the label, 0 elsewhere.</summary>
    /// <param name="labels">The class of each row, [rows].</param>
    /// <param name="y">The encodings, [rows, cols].</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, cols); nothing is written.</exception>
    public static void OneHot(ReadOnlySpan<int> labels, Span<float> y, int rows, int cols)
    {
        CheckLabels(labels, rows, cols);
        CheckMatrix(y.Length, rows, cols, nameof(y));
        Span<float> matrix = y[..(rows * cols)];
        matrix.Clear();
        for (int r = 0; r < rows; r++)
            matrix[r * cols + labels[r]] = 1f;
    }

    /// <summary>The mean of <paramref name="x"/>, summed in double so long batches lose no precision.</summary>
    /// <param name="x">The values.</param>
    /// <returns>The mean, or NaN when <paramref name="x"/> is empty.</returns>
    public static float Mean(ReadOnlySpan<float> x) => x.IsEmpty ? float.NaN : (float)(SumAsDouble(x) / x.Length);

    /// <summary>The dot product Σ x[i]·y[i].</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector, as long as <paramref name="x"/>.</param>
    /// <returns>The dot product.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"Dot needs equal lengths; got {x.Length} and {y.Length}.", nameof(y));
        return TensorPrimitives.Dot(x, y);
    }

    /// <summary>Σ x[i] in double precision (SIMD: each float vector is widened to two double vectors).</summary>
    internal static double SumAsDouble(ReadOnlySpan<float> x)
    {
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            Vector512<double> acc0 = Vector512<double>.Zero, acc1 = Vector512<double>.Zero;
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var (lower, upper) = Vector512.Widen(Vector512.Create(x.Slice(i, Vector512<float>.Count)));
                acc0 += lower;
                acc1 += upper;
            }

            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            Vector256<double> acc0 = Vector256<double>.Zero, acc1 = Vector256<double>.Zero;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(x.Slice(i, Vector256<float>.Count)));
                acc0 += lower;
                acc1 += upper;
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        for (; i < x.Length; i++)
            sum += x[i];
        return sum;
    }

    private static void CheckMatrix(int length, int rows, int cols, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (length < (long)rows * cols)
            throw new ArgumentException($"'{name}' has {length} floats; a [{rows}, {cols}] matrix needs {(long)rows * cols}.", name);
    }

    private static void CheckVector(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"'{name}' has {length} floats; it needs {needed}.", name);
    }

    private static void CheckLabels(ReadOnlySpan<int> labels, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (labels.Length < rows)
            throw new ArgumentException($"'labels' has {labels.Length} values; it needs {rows}.", nameof(labels));
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)cols)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[r], $"Example {r} has label {labels[r]}, outside the {cols} classes [0, {cols}).");
            }
        }
    }
}
