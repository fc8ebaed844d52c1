using System;
using Dsl.Kernels;

namespace Dsl;

/// <summary>
/// The global L2 norm of a flat gradient, SIMD and split across cores for large buffers, and
/// deterministic: each fixed-size block is summed on its own and the block sums are added in
/// order, so the result does not depend on how many threads ran or which block each took.
/// </summary>
internal sealed unsafe class GradientNorm
{
    private readonly double[] _blockSums;
    private readonly Action<int, int> _body;
    private float* _gradients;
    private int _count;

    public GradientNorm(int count)
    {
        _blockSums = new double[FusedUpdate.BlockCount(count)];
        _body = SumBlocks;
    }

    public float Compute(ReadOnlySpan<float> gradients) => (float)Math.Sqrt(SumOfSquares(gradients));

    /// <summary>The sum of squares of at most the count given at construction, in this class's fixed blocks.</summary>
    public double SumOfSquares(ReadOnlySpan<float> gradients)
    {
        fixed (float* g = gradients)
        {
            _gradients = g;
            _count = gradients.Length;
            FusedUpdate.ForEachBlock(_count, _body);
            _gradients = null;
        }

        double sum = 0;
        int blocks = FusedUpdate.BlockCount(gradients.Length);
        for (int block = 0; block < blocks; block++)
            sum += _blockSums[block];
        return sum;
    }

    private void SumBlocks(int firstBlock, int endBlock)
    {
        for (int block = firstBlock; block < endBlock; block++)
        {
            var (start, end) = FusedUpdate.BlockRange(block, _count);
            int i = start;
            float sum = 0;
            if (FusedUpdate.Use512)
                sum += SumOfSquares<Lanes512>(ref i, end);
            else if (FusedUpdate.Use256)
                sum += SumOfSquares<Lanes256>(ref i, end);
            sum += SumOfSquares<Lanes1>(ref i, end);
            _blockSums[block] = sum;
        }
    }

    private float SumOfSquares<T>(ref int i, int end)
        where T : struct, ISimdLanes<T>
    {
        // Four accumulators hide the FMA latency.
        T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero;
        float* g = _gradients;
        for (; i <= end - 4 * T.Count; i += 4 * T.Count)
        {
            T x0 = T.Load(g + i), x1 = T.Load(g + i + T.Count), x2 = T.Load(g + i + 2 * T.Count), x3 = T.Load(g + i + 3 * T.Count);
            a0 = T.FusedMultiplyAdd(x0, x0, a0);
            a1 = T.FusedMultiplyAdd(x1, x1, a1);
            a2 = T.FusedMultiplyAdd(x2, x2, a2);
            a3 = T.FusedMultiplyAdd(x3, x3, a3);
        }

        for (; i <= end - T.Count; i += T.Count)
        {
            T x = T.Load(g + i);
            a0 = T.FusedMultiplyAdd(x, x, a0);
        }

        return ((a0 + a1) + (a2 + a3)).Sum();
    }
}
