using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// The calling thread's CPU time per call of a <see cref="ModelCase"/>, for JIT-against-NativeAOT
/// comparisons on a shared machine (issue 20, item 4): CPU time does not count the time other
/// processes hold the core, which wall time does. The JIT build (<c>Dsl.Benchmarks cputime ...</c>)
/// and the NativeAOT build (<c>ServeAot cputime ...</c>) run this same code.
/// </summary>
/// <remarks>
/// <c>cputime CASE CALLS [SECONDS [THREADS]]</c>: one thread unless THREADS says more; warms up for
/// <see cref="WarmupSeconds"/> (the JIT's tiering and dynamic PGO finish in it), then times CALLS calls
/// one by one and prints the median, lower quartile and minimum microseconds of CPU time, then the
/// median wall-clock microseconds. With SECONDS it first runs the case for that long untimed, so a
/// profiler attached by PID sees the steady state. On one thread the CPU time is the calling
/// thread's; on more it is the whole process's (the workers' share and their waiting included).
/// </remarks>
public static class StepCpuTime
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int ProcessCpuClock = 2; // CLOCK_PROCESS_CPUTIME_ID

    /// <summary>Seconds of untimed calls before the timed ones.</summary>
    private const double WarmupSeconds = 2.0;

    /// <summary>Runs the measurement named by the arguments after <c>cputime</c>.</summary>
    /// <param name="args">The case (<see cref="ModelCase.Names"/>), the number of timed calls, optionally seconds to run untimed first.</param>
    /// <returns>0, or 2 when the arguments are wrong or name no case.</returns>
    public static int Run(string[] args)
    {
        double busySeconds = 0;
        int threads = 1;
        if (args.Length is < 2 or > 4 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int calls) || calls < 1
            || (args.Length >= 3 && (!double.TryParse(args[2], CultureInfo.InvariantCulture, out busySeconds) || busySeconds < 0))
            || (args.Length == 4 && (!int.TryParse(args[3], CultureInfo.InvariantCulture, out threads) || threads < 1)))
        {
            Console.Error.WriteLine("usage: cputime CASE CALLS [SECONDS [THREADS]]");
            return 2;
        }

        CpuParallel.MaxConcurrency = threads;
        ModelCase work;
        try
        {
            work = ModelCase.Create(args[0]);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        using (work)
            return Measure(work, calls, busySeconds, threads == 1 ? ThreadCpuClock : ProcessCpuClock);
    }

    private static int Measure(ModelCase work, int calls, double busySeconds, int clock)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds + busySeconds)
            work.Run();

        var micros = new double[calls];
        var wall = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            double before = CpuSeconds(clock);
            long started = Stopwatch.GetTimestamp();
            work.Run();
            wall[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            micros[i] = (CpuSeconds(clock) - before) * 1e6;
        }

        Array.Sort(micros);
        Array.Sort(wall);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{micros[calls / 2]:F2} {micros[calls / 4]:F2} {micros[0]:F2} {wall[calls / 2]:F2}"));
        return 0;
    }

    private static double CpuSeconds(int clock)
    {
        clock_gettime(clock, out TimeSpec time);
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
