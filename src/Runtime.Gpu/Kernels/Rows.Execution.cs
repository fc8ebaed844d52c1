using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// How the row kernels run: arguments as pointers (spans cannot cross into worker threads), one
// loop body per operation, and a per-thread job object whose cached delegate hands ranges of
// rows to CpuParallel without allocating.
public static unsafe partial class Rows
{
    /// <summary>Matrices smaller than this many floats run on the calling thread (thread hand-off costs more than it saves).</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>Roughly how many floats one parallel chunk should cover.</summary>
    private const int FloatsPerChunk = 1 << 13;

    private enum RowOp
    {
        Softmax,
        CausalSoftmax,
        LogSoftmax,
        Sum,
        ColumnSum,
        CrossEntropy,
        CrossEntropyBackward,
        Accuracy,
    }

    private static void Run(in RowArgs args)
    {
        if ((long)args.Rows * args.Cols < ParallelThreshold || args.Rows < 2)
        {
            Execute(args, 0, args.Rows);
            return;
        }

        RowJob job = RowJob.ForCurrentThread;
        job.Args = args;
        CpuParallel.For(args.Rows, Math.Max(1, FloatsPerChunk / args.Cols), job.Body);
    }

    /// <summary>Runs a column-wise kernel, split over column ranges when large.</summary>
    private static void RunColumns(in RowArgs args)
    {
        // Each range is at least 64 columns so every worker still streams contiguous runs of a row.
        if ((long)args.Rows * args.Cols < ParallelThreshold || args.Cols < 128)
        {
            ExecuteColumns(args, 0, args.Cols);
            return;
        }

        RowJob job = RowJob.ForCurrentThread;
        job.Args = args;
        CpuParallel.For(args.Cols, 64, job.ColumnBody);
    }

    private static void Execute(in RowArgs a, int start, int end)
    {
        int cols = a.Cols;
        if (cols < NarrowCols && (a.Op is RowOp.Softmax or RowOp.CrossEntropy || (a.Op == RowOp.CrossEntropyBackward && !a.Accumulate)))
        {
            if (a.Op == RowOp.Softmax)
                NarrowSoftmax(a, start, end);
            else if (a.Op == RowOp.CrossEntropy)
                NarrowCrossEntropy(a, start, end);
            else
                NarrowCrossEntropyBackward(a, start, end);
            return;
        }

        for (int r = start; r < end; r++)
        {
            var x = new ReadOnlySpan<float>(a.X + (long)r * cols, cols);
            switch (a.Op)
            {
                case RowOp.Softmax:
                    SoftmaxRow(x, new Span<float>(a.Y + (long)r * cols, cols));
                    break;
                case RowOp.CausalSoftmax:
                {
                    // Row r is query r mod T of its [T, T] block: it sees keys 0..r mod T.
                    int visible = r % cols + 1;
                    var y = new Span<float>(a.Y + (long)r * cols, cols);
                    SoftmaxRow(x[..visible], y[..visible]);
                    y[visible..].Clear();
                    break;
                }

                case RowOp.LogSoftmax:
                {
                    float max = TensorPrimitives.Max(x);
                    float logSum = max + MathF.Log(SumOfExp(x, max));
                    TensorPrimitives.Subtract(x, logSum, new Span<float>(a.Y + (long)r * cols, cols));
                    break;
                }

                case RowOp.Sum:
                    a.Y[r] = TensorPrimitives.Sum(x);
                    break;
                case RowOp.CrossEntropy:
                {
                    float max = TensorPrimitives.Max(x);
                    a.Y[r] = max + MathF.Log(SumOfExp(x, max)) - x[a.Labels[r]];
                    break;
                }

                case RowOp.CrossEntropyBackward:
                    CrossEntropyBackwardRow(x, a.Labels[r], a.G == null ? a.Scale : a.G[r], new Span<float>(a.Y + (long)r * cols, cols), a.Accumulate);
                    break;
                case RowOp.Accuracy:
                    a.Y[r] = TensorPrimitives.IndexOfMax(x) == a.Labels[r] ? 1f : 0f;
                    break;
                default:
                    throw new InvalidOperationException($"Row operation {a.Op} is not a row-wise kernel.");
            }
        }
    }

    private static void ExecuteColumns(in RowArgs a, int start, int end)
    {
        if (a.Cols <= 2 * NarrowCols)
        {
            NarrowColumnSum(a, start, end);
            return;
        }

        var y = new Span<float>(a.Y + start, end - start);
        if (!a.Accumulate)
            y.Clear();
        for (int r = 0; r < a.Rows; r++)
            TensorPrimitives.Add(y, new ReadOnlySpan<float>(a.X + (long)r * a.Cols + start, end - start), y);
    }

    private static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        SimdMath.Exp(y, y);
        TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
    }

    private static void CrossEntropyBackwardRow(ReadOnlySpan<float> x, int label, float lossGradient, Span<float> y, bool accumulate)
    {
        float max = TensorPrimitives.Max(x);
        float scale = lossGradient / SumOfExp(x, max);
        // y = g·softmax(x) (+ y), one pass: exp(x - max)·(g / Σ exp) fused with the accumulate.
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vmax = Vector512.Create(max), vscale = Vector512.Create(scale);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> g = SimdMath.Exp(Vector512.Create(x.Slice(i, Vector512<float>.Count)) - vmax) * vscale;
                Span<float> target = y.Slice(i, Vector512<float>.Count);
                (accumulate ? g + Vector512.Create<float>(target) : g).CopyTo(target);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vmax = Vector256.Create(max), vscale = Vector256.Create(scale);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> g = SimdMath.Exp(Vector256.Create(x.Slice(i, Vector256<float>.Count)) - vmax) * vscale;
                Span<float> target = y.Slice(i, Vector256<float>.Count);
                (accumulate ? g + Vector256.Create<float>(target) : g).CopyTo(target);
            }
        }

        for (; i < x.Length; i++)
        {
            float g = MathF.Exp(x[i] - max) * scale;
            y[i] = accumulate ? y[i] + g : g;
        }

        y[label] -= lossGradient;
    }

    /// <summary>Σ exp(x[i] - max) without a scratch buffer.</summary>
    private static float SumOfExp(ReadOnlySpan<float> x, float max)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            Vector512<float> vmax = Vector512.Create(max), acc = Vector512<float>.Zero;
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                acc += SimdMath.Exp(Vector512.Create(x.Slice(i, Vector512<float>.Count)) - vmax);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            Vector256<float> vmax = Vector256.Create(max), acc = Vector256<float>.Zero;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                acc += SimdMath.Exp(Vector256.Create(x.Slice(i, Vector256<float>.Count)) - vmax);
            sum = Vector256.Sum(acc);
        }

        for (; i < x.Length; i++)
            sum += MathF.Exp(x[i] - max);
        return sum;
    }

    /// <summary>One kernel call's operands, as pointers so worker threads can read them.</summary>
    private struct RowArgs
    {
        public RowArgs(RowOp op, int rows, int cols)
        {
            Op = op;
            Rows = rows;
            Cols = cols;
        }

        public RowOp Op;
        public int Rows;
        public int Cols;
        public float* X;
        public float* Y;
        public float* G;

        /// <summary>The one loss gradient of every row when <see cref="G"/> is null.</summary>
        public float Scale;
        public int* Labels;
        public bool Accumulate;
    }

    /// <summary>A calling thread's reusable hand-off to <see cref="CpuParallel"/>: the delegates are created once per thread.</summary>
    private sealed class RowJob
    {
        [ThreadStatic]
        private static RowJob? t_job;

        public RowArgs Args;

        private RowJob()
        {
            Body = (start, end) => Execute(Args, start, end);
            ColumnBody = (start, end) => ExecuteColumns(Args, start, end);
        }

        public static RowJob ForCurrentThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_job ??= new RowJob();
        }

        public Action<int, int> Body { get; }

        public Action<int, int> ColumnBody { get; }
    }
}
