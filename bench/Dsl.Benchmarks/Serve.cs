using System;
using System.Diagnostics;
using System.Globalization;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// The Dsl side of bench/compare.py: reads one request per line on stdin and answers each with
/// the median seconds of one call, timed the way the script times PyTorch, so the two sides can
/// alternate case by case in one run.
/// </summary>
/// <remarks>
/// Requests: <c>model NAME THREADS</c> (a <see cref="ModelCase"/>) and
/// <c>gemm M N K TA TB THREADS</c> (<see cref="Gemm.Multiply"/>, TA/TB 0 or 1) and
/// <c>peak THREADS</c> (<see cref="FmaPeak"/> on every thread: the answer is seconds per flop).
/// Answers: the median, or a line starting with <c>error</c>.
/// </remarks>
public static class Serve
{
    /// <summary>Warm-up time before sampling, in seconds (tiered JIT has promoted the hot code by then).</summary>
    private const double WarmupSeconds = 0.3;

    /// <summary>The shortest sample, in seconds: a sample repeats the call until it lasts this long.</summary>
    private const double MinimumSampleSeconds = 0.01;

    /// <summary>Samples per request; the answer is their median.</summary>
    private const int Samples = 11;

    /// <summary>Answers requests until stdin closes.</summary>
    public static int Run()
    {
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                continue;
            try
            {
                double seconds = words[0] switch
                {
                    "model" when words.Length == 3 => TimeModel(words[1], int.Parse(words[2], CultureInfo.InvariantCulture)),
                    "gemm" when words.Length == 7 => TimeGemm(words),
                    "peak" when words.Length == 2 => TimePeak(int.Parse(words[1], CultureInfo.InvariantCulture)),
                    _ => throw new FormatException($"Unknown request '{line}'; expected 'model NAME THREADS', 'gemm M N K TA TB THREADS' or 'peak THREADS'."),
                };
                Console.WriteLine(seconds.ToString("R", CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                Console.WriteLine($"error {e.Message}");
            }
        }

        return 0;
    }

    private static double TimeModel(string name, int threads)
    {
        CpuParallel.MaxConcurrency = threads;
        using ModelCase work = ModelCase.Create(name);
        return MedianSeconds(() => work.Run());
    }

    private static double TimeGemm(string[] words)
    {
        int Int(int i) => int.Parse(words[i], CultureInfo.InvariantCulture);
        var shape = new GemmCase("gemm", Int(4) != 0, Int(5) != 0, Int(1), Int(2), Int(3));
        CpuParallel.MaxConcurrency = Int(6);
        var (a, b, c) = Operands.For(shape);
        return MedianSeconds(() => Gemm.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, a, b, c));
    }

    private static double TimePeak(int threads)
    {
        CpuParallel.MaxConcurrency = threads;
        return MedianSeconds(() => CpuParallel.For(threads, 1, FmaPeak.Body)) / (FmaPeak.Flops * threads);
    }

    /// <summary>Warms up, then takes <see cref="Samples"/> samples of a calibrated number of calls; the median per call.</summary>
    private static double MedianSeconds(Action call)
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
        var samples = new double[Samples];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < runs; r++)
                call();
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / runs;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
