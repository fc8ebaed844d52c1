using System;
using BenchmarkDotNet.Attributes;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// The models of issue 7 on the CPU: a whole compiled train step (forward, backward, Adam) of
/// three MLPs, and a batch-1 forward pass, on one thread and on two. The memory column shows the
/// bytes allocated per call (zero is the promise). bench/compare.py runs the same
/// <see cref="ModelCase"/>s beside PyTorch.
/// </summary>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private ModelCase _case = null!;

    /// <summary>"model/batch", one of <see cref="ModelCase.Names"/>.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    /// <summary>Threads: 1, or every core the machine reports.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>Every model case.</summary>
    public static string[] Cases => ModelCase.Names;

    /// <summary>One thread and all of them.</summary>
    public static int[] ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>Compiles the model and makes its batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxConcurrency = Threads;
        _case = ModelCase.Create(Case);
    }

    /// <summary>Releases the program and restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _case.Dispose();
        CpuParallel.MaxConcurrency = Environment.ProcessorCount;
    }

    /// <summary>One train step or forward pass; returns a value so it is not optimised away.</summary>
    [Benchmark]
    public float Step() => _case.Run();
}
