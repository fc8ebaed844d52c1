using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Dsl.Benchmarks;
using Dsl.Kernels;

namespace GptStepCpuTime;

/// <summary>
/// The thread's CPU time per call of a <see cref="ModelCase"/> on one thread, or the FMA probe's
/// GFLOP/s by the same clock. On a shared machine wall time measures the neighbours; CPU time
/// does not count the time others hold the core (the hypervisor's steal still inflates both, so
/// compare a step with a probe taken in the same round).
/// </summary>
/// <remarks>Usage: <c>GptStepCpuTime CASE CALLS</c> prints the median, lower quartile and minimum
/// ms of CALLS calls after 40 warm-up calls; <c>GptStepCpuTime peak CALLS</c> prints the probe's median GFLOP/s.</remarks>
public static class Program
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Runs the case or the probe named on the command line.</summary>
    /// <param name="args">The case (<see cref="ModelCase.Names"/>) or <c>peak</c>, then the number of timed calls.</param>
    public static void Main(string[] args)
    {
        string name = args[0];
        int calls = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        CpuParallel.MaxConcurrency = 1;
        if (name == "peak")
        {
            List<double> gflops = Measure(calls, 3, () => FmaPeak.Body(0, 1)).ConvertAll(seconds => FmaPeak.Flops / seconds / 1e9);
            gflops.Sort();
            Console.WriteLine($"{gflops[gflops.Count / 2]:F1}");
            return;
        }

        using ModelCase model = ModelCase.Create(name);
        List<double> times = Measure(calls, 40, () => model.Run());
        times.Sort();
        Console.WriteLine($"{times[times.Count / 2] * 1e3:F3} {times[times.Count / 4] * 1e3:F3} {times[0] * 1e3:F3}");
    }

    /// <summary>Seconds of this thread's CPU time per call, after the warm-up calls (tiered JIT promotes the hot code in them).</summary>
    private static List<double> Measure(int calls, int warmup, Action call)
    {
        for (int i = 0; i < warmup; i++)
            call();
        var seconds = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            double start = ThreadSeconds();
            call();
            seconds.Add(ThreadSeconds() - start);
        }
        return seconds;
    }

    private static double ThreadSeconds()
    {
        clock_gettime(ThreadCpuClock, out TimeSpec time);
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
