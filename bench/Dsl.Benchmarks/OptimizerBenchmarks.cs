using System;
using BenchmarkDotNet.Attributes;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// One optimizer step (global-norm pass plus the fused update) over a flat buffer of a
/// GPT-block-sized model, on one thread and on all cores.
/// </summary>
public class OptimizerBenchmarks
{
    private float[] _parameters = [], _gradients = [];
    private OptimizerState _adamW = null!, _sgd = null!;

    /// <summary>Parameter count (about a 512-wide transformer block).</summary>
    [Params(1 << 20, 3 << 20)]
    public int Count { get; set; }

    /// <summary>Threads: 1, or every core the machine reports.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>One thread and all of them.</summary>
    public static int[] ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>Allocates the buffers and optimizer states.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _parameters = new float[Count];
        _gradients = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _parameters[i] = (float)(random.NextDouble() - 0.5);
            _gradients[i] = (float)(random.NextDouble() - 0.5) * 1e-3f;
        }

        _adamW = new AdamW(3e-4f, weightDecay: 0.1f) { ClipGradNorm = 1f }.CreateState(Count);
        _sgd = new Sgd(1e-2f, momentum: 0.9f, nesterov: true).CreateState(Count);
        CpuParallel.MaxConcurrency = Threads;
    }

    /// <summary>Restores the default thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => CpuParallel.MaxConcurrency = Environment.ProcessorCount;

    /// <summary>AdamW with clipping: reads p, g, m, v and writes p, m, v.</summary>
    [Benchmark]
    public void AdamW() => _adamW.Update(_parameters, _gradients);

    /// <summary>SGD with Nesterov momentum: reads p, g, b and writes p, b.</summary>
    [Benchmark]
    public void SgdNesterov() => _sgd.Update(_parameters, _gradients);
}
