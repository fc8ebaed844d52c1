using System;
using System.Diagnostics;

namespace TorchSharpWorker;

/// <summary>Times a call the way bench/compare.py times its PyTorch worker and Dsl's server.</summary>
internal static class Timing
{
    /// <summary>Warm-up time before sampling, in seconds.</summary>
    private const double WarmupSeconds = 0.3;

    /// <summary>The shortest sample, in seconds: a sample repeats the call until it lasts this long.</summary>
    private const double MinimumSampleSeconds = 0.01;

    /// <summary>Warms up, then takes <paramref name="samples"/> samples of a calibrated number of calls; the median seconds per call.</summary>
    public static double MedianSeconds(Action call, int samples)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (calls < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds)
        {
            call();
            calls++;
        }

        double perCall = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        int runs = Math.Max(1, (int)Math.Ceiling(MinimumSampleSeconds / perCall));
        var times = new double[samples];
        for (int s = 0; s < times.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < runs; r++)
                call();
            times[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / runs;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }
}
