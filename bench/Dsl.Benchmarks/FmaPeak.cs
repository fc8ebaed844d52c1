using System;
using System.Runtime.Intrinsics;

namespace Dsl.Benchmarks;

/// <summary>
/// The machine's fused multiply-add ceiling, measured rather than assumed: independent chains of
/// FMAs on registers only (no memory traffic), as many chains as it takes to cover the latency.
/// The GEMM figures are read against it.
/// </summary>
public static class FmaPeak
{
    /// <summary>Loop trips of one call on one thread.</summary>
    private const int Iterations = 1 << 16;

    /// <summary>Independent accumulator chains: more than latency × pipes (4 × 2 on current cores).</summary>
    private const int Chains = 12;

    /// <summary>Floating-point operations one call performs on each thread (two per lane per FMA).</summary>
    public static double Flops => 2.0 * Iterations * Chains * (Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count);

    /// <summary>Runs one call's FMAs on each index of the range (one per thread); a <see cref="Dsl.Kernels.CpuParallel"/> body.</summary>
    public static readonly Action<int, int> Body = (start, end) =>
    {
        for (int i = start; i < end; i++)
            Sink = Vector512.IsHardwareAccelerated ? Run512() : Run256();
    };

    /// <summary>Keeps the result observable so the loop is not removed.</summary>
    public static float Sink { get; private set; }

    private static float Run512()
    {
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static float Run256()
    {
        Vector256<float> m = Vector256.Create(0.999999f), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
