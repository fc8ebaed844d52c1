using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply"/> on every <see cref="GemmCase"/>, on one thread and on all cores
/// (<see cref="CpuParallel.MaxConcurrency"/>), so the table separates the kernel from the scaling.
/// </summary>
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>The product shape.</summary>
    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = GemmCase.All[0];

    /// <summary>Threads: 1, or every core the machine reports.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>The shapes.</summary>
    public static IEnumerable<GemmCase> Cases => GemmCase.All;

    /// <summary>One thread and all of them.</summary>
    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>Fills the operands with deterministic values in [-1, 1] and sets the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _c) = Operands.For(Case);
        CpuParallel.MaxConcurrency = Threads;
    }

    /// <summary>Restores the default thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => CpuParallel.MaxConcurrency = Environment.ProcessorCount;

    /// <summary>The packed, blocked, register-tiled product.</summary>
    [Benchmark]
    public void Blocked() => Gemm.Multiply(Case.TransposeA, Case.TransposeB, Case.M, Case.N, Case.K, _a, _b, _c);
}
