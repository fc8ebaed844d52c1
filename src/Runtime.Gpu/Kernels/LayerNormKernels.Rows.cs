using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// The row loops of the layer-norm kernels: each formula written once over ISimdLanes and run as
// Lanes512 or Lanes256, then Lanes1 for the tail, so a row's elements all see the same operations.
// Each Execute is kept out of line: inlined into RowSplit's tiny delegate it would exhaust that
// method's inlining budget, and the lane operators (seen in a profile) would stay calls.
public static unsafe partial class LayerNormKernels
{
    private static readonly bool Use512 = Vector512.IsHardwareAccelerated;
    private static readonly bool Use256 = Vector256.IsHardwareAccelerated;

    /// <summary>The row's mean and 1/√(biased variance + ε), in two passes (sum, then centred squares).</summary>
    private static (float Mean, float Inverse) Moments(float* row, int cols, float epsilon)
    {
        int i = 0;
        float sum = Use512 ? Sum<Lanes512>(row, ref i, cols) : Use256 ? Sum<Lanes256>(row, ref i, cols) : 0f;
        sum += Sum<Lanes1>(row, ref i, cols);
        float mean = sum / cols;

        i = 0;
        float squares = Use512 ? CentredSquares<Lanes512>(row, mean, ref i, cols) : Use256 ? CentredSquares<Lanes256>(row, mean, ref i, cols) : 0f;
        squares += CentredSquares<Lanes1>(row, mean, ref i, cols);
        return (mean, 1f / MathF.Sqrt(squares / cols + epsilon));
    }

    private static float Sum<T>(float* x, ref int i, int n)
        where T : struct, ISimdLanes<T>
    {
        // Two accumulators hide the add latency.
        T a0 = T.Zero, a1 = T.Zero;
        for (; i <= n - 2 * T.Count; i += 2 * T.Count)
        {
            a0 += T.Load(x + i);
            a1 += T.Load(x + i + T.Count);
        }

        for (; i <= n - T.Count; i += T.Count)
            a0 += T.Load(x + i);
        return (a0 + a1).Sum();
    }

    private static float CentredSquares<T>(float* x, float mean, ref int i, int n)
        where T : struct, ISimdLanes<T>
    {
        T m = T.Create(mean), a0 = T.Zero, a1 = T.Zero;
        for (; i <= n - 2 * T.Count; i += 2 * T.Count)
        {
            T d0 = T.Load(x + i) - m, d1 = T.Load(x + i + T.Count) - m;
            a0 = T.FusedMultiplyAdd(d0, d0, a0);
            a1 = T.FusedMultiplyAdd(d1, d1, a1);
        }

        for (; i <= n - T.Count; i += T.Count)
        {
            T d = T.Load(x + i) - m;
            a0 = T.FusedMultiplyAdd(d, d, a0);
        }

        return (a0 + a1).Sum();
    }

    /// <summary>y = (x − mean)·inverse.</summary>
    private static void Centre<T>(float* x, float* y, float mean, float inverse, ref int i, int n)
        where T : struct, ISimdLanes<T>
    {
        T m = T.Create(mean), s = T.Create(inverse);
        for (; i <= n - T.Count; i += T.Count)
            ((T.Load(x + i) - m) * s).Store(y + i);
    }

    /// <summary>Σ g and Σ g·x̂.</summary>
    private static (float SumG, float SumGx) GradientSums<T>(float* g, float* normalised, ref int i, int n)
        where T : struct, ISimdLanes<T>
    {
        T sumG = T.Zero, sumGx = T.Zero;
        for (; i <= n - T.Count; i += T.Count)
        {
            T gradient = T.Load(g + i);
            sumG += gradient;
            sumGx = T.FusedMultiplyAdd(gradient, T.Load(normalised + i), sumGx);
        }

        return (sumG.Sum(), sumGx.Sum());
    }

    /// <summary>dx = inverse·(g − meanG − x̂·meanGx).</summary>
    private static void BackwardRow<T>(float* g, float* normalised, float* dx, float meanG, float meanGx, float inverse, ref int i, int n)
        where T : struct, ISimdLanes<T>
    {
        T mg = T.Create(meanG), mgx = T.Create(meanGx), s = T.Create(inverse);
        for (; i <= n - T.Count; i += T.Count)
            (s * (T.Load(g + i) - mg - T.Load(normalised + i) * mgx)).Store(dx + i);
    }

    private struct NormalizeRows : IRowKernel
    {
        public float* X;
        public float* Y;
        public int Cols;
        public float Epsilon;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public readonly void Execute(int start, int end)
        {
            for (int r = start; r < end; r++)
            {
                float* row = X + (long)r * Cols, output = Y + (long)r * Cols;
                (float mean, float inverse) = Moments(row, Cols, Epsilon);
                int i = 0;
                if (Use512)
                    Centre<Lanes512>(row, output, mean, inverse, ref i, Cols);
                else if (Use256)
                    Centre<Lanes256>(row, output, mean, inverse, ref i, Cols);
                Centre<Lanes1>(row, output, mean, inverse, ref i, Cols);
            }
        }
    }

    private struct InverseDeviationRows : IRowKernel
    {
        public float* X;
        public float* Inverse;
        public int Cols;
        public float Epsilon;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public readonly void Execute(int start, int end)
        {
            for (int r = start; r < end; r++)
                Inverse[r] = Moments(X + (long)r * Cols, Cols, Epsilon).Inverse;
        }
    }

    private struct BackwardRows : IRowKernel
    {
        public float* Normalised;
        public float* Scale;
        public float* G;
        public float* Dx;
        public int Cols;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public readonly void Execute(int start, int end)
        {
            int cols = Cols;
            for (int r = start; r < end; r++)
            {
                long offset = (long)r * cols;
                float* row = Normalised + offset, gradient = G + offset, output = Dx + offset;
                int i = 0;
                (float sumG, float sumGx) = Use512 ? GradientSums<Lanes512>(gradient, row, ref i, cols)
                    : Use256 ? GradientSums<Lanes256>(gradient, row, ref i, cols) : (0f, 0f);
                (float tailG, float tailGx) = GradientSums<Lanes1>(gradient, row, ref i, cols);
                float meanG = (sumG + tailG) / cols, meanGx = (sumGx + tailGx) / cols, inverse = Scale[r];

                i = 0;
                if (Use512)
                    BackwardRow<Lanes512>(gradient, row, output, meanG, meanGx, inverse, ref i, cols);
                else if (Use256)
                    BackwardRow<Lanes256>(gradient, row, output, meanG, meanGx, inverse, ref i, cols);
                BackwardRow<Lanes1>(gradient, row, output, meanG, meanGx, inverse, ref i, cols);
            }
        }
    }
}
