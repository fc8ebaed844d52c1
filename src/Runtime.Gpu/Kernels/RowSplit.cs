using System;
using System.Runtime.CompilerServices;

namespace Dsl.Kernels;

/// <summary>A kernel over independent rows (or other units): what one range of them computes.</summary>
/// <remarks>
/// Implementations are structs of pointers and counts (spans cannot cross into worker threads).
/// Each unit must write only its own outputs, so the result does not depend on how
/// <see cref="RowSplit"/> cuts the range.
/// </remarks>
internal interface IRowKernel
{
    /// <summary>Computes units [start, end).</summary>
    void Execute(int start, int end);
}

/// <summary>
/// Runs an <see cref="IRowKernel"/> over its units with <see cref="CpuParallel"/> when the work is
/// large enough, inline otherwise, without allocating: each calling thread keeps one job (and its
/// delegate) per kernel type.
/// </summary>
internal static class RowSplit
{
    /// <summary>Work below this many floats runs on the calling thread (a hand-off costs more than it saves).</summary>
    public const int ParallelThreshold = 1 << 15;

    /// <summary>Roughly how many floats one parallel chunk should cover.</summary>
    public const int FloatsPerChunk = 1 << 13;

    /// <summary>Runs <paramref name="kernel"/> over units [0, <paramref name="units"/>), each about <paramref name="floatsPerUnit"/> floats of work.</summary>
    public static void Run<TKernel>(in TKernel kernel, int units, long floatsPerUnit)
        where TKernel : struct, IRowKernel
    {
        if (units < 2 || units * floatsPerUnit < ParallelThreshold || CpuParallel.MaxConcurrency == 1)
        {
            kernel.Execute(0, units);
            return;
        }

        Job<TKernel> job = Job<TKernel>.ForCurrentThread;
        job.Kernel = kernel;
        CpuParallel.For(units, (int)Math.Max(1, FloatsPerChunk / Math.Max(1, floatsPerUnit)), job.Body);
    }

    /// <summary>A calling thread's reusable hand-off for one kernel type.</summary>
    private sealed class Job<TKernel>
        where TKernel : struct, IRowKernel
    {
        [ThreadStatic]
        private static Job<TKernel>? t_job;

        public TKernel Kernel;

        private Job() => Body = (start, end) => Kernel.Execute(start, end);

        public static Job<TKernel> ForCurrentThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_job ??= new Job<TKernel>();
        }

        public Action<int, int> Body { get; }
    }
}
