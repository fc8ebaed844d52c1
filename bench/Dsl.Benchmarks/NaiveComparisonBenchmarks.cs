using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply"/> against the textbook triple loop (i, j, p with a scalar
/// accumulator, as a first implementation would write it), single-threaded both, on the shapes
/// where the naive loop finishes in reasonable time.
/// </summary>
public class NaiveComparisonBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>The product shape.</summary>
    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = GemmCase.All[0];

    /// <summary>Every shape up to 512³.</summary>
    public static IEnumerable<GemmCase> Cases => GemmCase.All.Where(c => c.Flops <= 2.0 * 512 * 512 * 512);

    /// <summary>Fills the operands and pins the blocked kernel to one thread, like the naive loop.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _c) = Operands.For(Case);
        CpuParallel.MaxConcurrency = 1;
    }

    /// <summary>Restores the default thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => CpuParallel.MaxConcurrency = System.Environment.ProcessorCount;

    /// <summary>The blocked kernel on one thread.</summary>
    [Benchmark(Baseline = true)]
    public void Blocked() => Gemm.Multiply(Case.TransposeA, Case.TransposeB, Case.M, Case.N, Case.K, _a, _b, _c);

    /// <summary>The triple loop.</summary>
    [Benchmark]
    public void Naive()
    {
        GemmCase s = Case;
        float[] a = _a, b = _b, c = _c;
        for (int i = 0; i < s.M; i++)
        {
            for (int j = 0; j < s.N; j++)
            {
                float sum = 0;
                for (int p = 0; p < s.K; p++)
                    sum += (s.TransposeA ? a[p * s.M + i] : a[i * s.K + p]) * (s.TransposeB ? b[j * s.K + p] : b[p * s.N + j]);
                c[i * s.N + j] = sum;
            }
        }
    }
}
