using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// Rows narrower than one vector (a 2- or 10-class head) make the per-row form all overhead: each
// row's max, exp, sum and scale is a library call on a handful of floats, and every exp a scalar
// libm call. Here the per-row work is plain scalar code and the transcendental part runs once,
// vectorised, over the whole contiguous block of rows: exp over rows·cols floats, log over rows.
public static unsafe partial class Rows
{
    /// <summary>Rows shorter than this take the narrow forms (a Vector512 holds 16 floats).</summary>
    private const int NarrowCols = 16;

    [ThreadStatic]
    private static AlignedBuffer? t_narrowScratch;

    /// <summary>Softmax of rows [start, end): y = x - max per row, one exp over the block, then each row scaled by 1 / its sum.</summary>
    private static void NarrowSoftmax(in RowArgs a, int start, int end)
    {
        int cols = a.Cols;
        float* x = a.X + (long)start * cols, y = a.Y + (long)start * cols;
        int count = (end - start) * cols;
        for (int r = 0; r < end - start; r++)
        {
            float* xr = x + (long)r * cols, yr = y + (long)r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = MathF.Max(max, xr[c]);
            for (int c = 0; c < cols; c++)
                yr[c] = xr[c] - max;
        }

        var block = new Span<float>(y, count);
        SimdMath.Exp(block, block);
        for (int r = 0; r < end - start; r++)
        {
            float* yr = y + (long)r * cols;
            float sum = 0;
            for (int c = 0; c < cols; c++)
                sum += yr[c];
            float scale = 1f / sum;
            for (int c = 0; c < cols; c++)
                yr[c] *= scale;
        }
    }

    /// <summary>
    /// The cross-entropy gradient of rows [start, end), y = g·(softmax(x) - onehot(label)), as
    /// <see cref="NarrowSoftmax"/> does it: one exp over the block, then each row scaled by g / Σ.
    /// </summary>
    private static void NarrowCrossEntropyBackward(in RowArgs a, int start, int end)
    {
        int cols = a.Cols;
        float* x = a.X + (long)start * cols, y = a.Y + (long)start * cols;
        for (int r = 0; r < end - start; r++)
        {
            float* xr = x + (long)r * cols, yr = y + (long)r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = MathF.Max(max, xr[c]);
            for (int c = 0; c < cols; c++)
                yr[c] = xr[c] - max;
        }

        var block = new Span<float>(y, (end - start) * cols);
        SimdMath.Exp(block, block);
        for (int r = 0; r < end - start; r++)
        {
            float* yr = y + (long)r * cols;
            float g = a.G == null ? a.Scale : a.G[start + r];
            float sum = 0;
            for (int c = 0; c < cols; c++)
                sum += yr[c];
            float scale = g / sum;
            for (int c = 0; c < cols; c++)
                yr[c] *= scale;
            yr[a.Labels[start + r]] -= g;
        }
    }

    /// <summary>
    /// Cross-entropy of rows [start, end): loss = max + log Σ exp(x - max) - x[label], with the
    /// exps over the block in a per-thread scratch buffer and one log over the block's sums.
    /// </summary>
    private static void NarrowCrossEntropy(in RowArgs a, int start, int end)
    {
        int cols = a.Cols, rows = end - start;
        AlignedBuffer scratch = t_narrowScratch ??= new AlignedBuffer();
        float* shifted = scratch.Ensure(rows * cols + rows);
        float* offset = shifted + (long)rows * cols; // max - x[label] per row
        float* x = a.X + (long)start * cols;
        for (int r = 0; r < rows; r++)
        {
            float* xr = x + (long)r * cols, sr = shifted + (long)r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = MathF.Max(max, xr[c]);
            for (int c = 0; c < cols; c++)
                sr[c] = xr[c] - max;
            offset[r] = max - xr[a.Labels[start + r]];
        }

        var block = new Span<float>(shifted, rows * cols);
        SimdMath.Exp(block, block);
        float* loss = a.Y + start;
        for (int r = 0; r < rows; r++)
        {
            float* sr = shifted + (long)r * cols;
            float sum = 0;
            for (int c = 0; c < cols; c++)
                sum += sr[c];
            loss[r] = sum;
        }

        var losses = new Span<float>(loss, rows);
        TensorPrimitives.Log(losses, losses);
        TensorPrimitives.Add(losses, new ReadOnlySpan<float>(offset, rows), losses);
    }

    /// <summary>
    /// y[c] (+)= Σ_r x[r, c] for columns [start, end) of narrow matrices: each vector of columns
    /// (then each remaining column) is summed down the rows in a register and stored once.
    /// </summary>
    private static void NarrowColumnSum(in RowArgs a, int start, int end)
    {
        if (Vector512.IsHardwareAccelerated)
            NarrowColumnSum<Lanes512>(a, ref start, end);
        else if (Vector256.IsHardwareAccelerated)
            NarrowColumnSum<Lanes256>(a, ref start, end);
        NarrowColumnSum<Lanes1>(a, ref start, end);
    }

    private static void NarrowColumnSum<T>(in RowArgs a, ref int c, int end)
        where T : struct, ISimdLanes<T>
    {
        int cols = a.Cols, rows = a.Rows;
        for (; c <= end - T.Count; c += T.Count)
        {
            T sum = a.Accumulate ? T.Load(a.Y + c) : T.Zero;
            float* x = a.X + c;
            for (int r = 0; r < rows; r++, x += cols)
                sum += T.Load(x);
            sum.Store(a.Y + c);
        }
    }
}
