using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Dsl.Kernels;

namespace Dsl.Benchmarks;

/// <summary>
/// <c>conv-profile [threads]</c>: where the convolutional train steps of bench/compare.py
/// (<c>lenet5/64</c>, <c>residual16/32</c>) spend their time. Each kernel call the compiled step
/// makes for a convolution or a pooling is timed alone at the step's own shapes (the fused
/// convolution's forward pass, weight and input gradients; max pooling's forward pass and
/// gradient), next to the whole step, so the kernels' sum can be read
/// against it. Prints one line per call: median ms, the GEMM's shape (m x n x k) and its share.
/// With one thread the time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which the other
/// work on a shared machine does not inflate; with more, wall time.
/// </summary>
public static partial class ConvolutionProfile
{
    /// <summary>Whether <see cref="Median"/> reads the thread's CPU clock (one thread) rather than the wall clock.</summary>
    private static bool s_threadClock;

    /// <summary>Runs the profile.</summary>
    /// <param name="args">The thread count, 1 when not given.</param>
    /// <returns>0.</returns>
    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
        CpuParallel.MaxConcurrency = threads;
        s_threadClock = threads == 1 && OperatingSystem.IsLinux();
        Console.WriteLine(s_threadClock ? "times: thread CPU time (CLOCK_THREAD_CPUTIME_ID)" : "times: wall clock");
        double peak = FmaPeak.Flops / Median(() => FmaPeak.Body(0, 1));
        Console.WriteLine($"FMA probe (one thread, registers only): {peak / 1e9:F1} GFLOP/s");
        Profile("lenet5/64", threads, LeNet5(64));
        Profile("residual16/32", threads, Residual(32));
        return 0;
    }

    /// <summary>One timed kernel call: what it is and the call.</summary>
    private sealed record Part(string Name, Action Run);

    private static void Profile(string name, int threads, List<Part> parts)
    {
        using ModelCase step = ModelCase.Create(name);
        double whole = Median(() => step.Run());
        Console.WriteLine($"{name}, {threads} thread(s): train step {whole * 1e3:F3} ms");
        double sum = 0;
        foreach (Part part in parts)
        {
            double seconds = Median(part.Run);
            sum += seconds;
            Console.WriteLine($"  {part.Name,-58} {seconds * 1e3,8:F3} ms  {seconds / whole,6:P1}");
        }
        Console.WriteLine($"  {"sum of the convolution and pooling calls",-58} {sum * 1e3,8:F3} ms  {sum / whole,6:P1}");
    }

    /// <summary>conv 6@5x5 on [1, 28, 28], pool 2, conv 16@5x5 on [6, 12, 12], pool 2 (conv1's input has no gradient, so no col2im).</summary>
    private static List<Part> LeNet5(int batch)
    {
        var parts = new List<Part>();
        Convolution(parts, "conv1", batch, 1, 28, 28, 6, 5, 0, inputGradient: false);
        Pooling(parts, "pool1", batch, 6, 24, 24);
        Convolution(parts, "conv2", batch, 6, 12, 12, 16, 5, 0, inputGradient: true);
        Pooling(parts, "pool2", batch, 16, 8, 8);
        return parts;
    }

    /// <summary>Four convs 16@3x3 padding 1 on [16, 32, 32]; the first's input gradient is not needed.</summary>
    private static List<Part> Residual(int batch)
    {
        var parts = new List<Part>();
        for (int i = 1; i <= 4; i++)
            Convolution(parts, "conv" + i, batch, 16, 32, 32, 16, 3, 1, inputGradient: i > 1);
        return parts;
    }

    /// <summary>
    /// A convolution's three fused calls (branch fusedconv): the forward pass and the weight
    /// gradient, each im2col of one example at a time into a per-thread scratch and its product, and
    /// the input gradient (a product and col2im per example) when the step takes it.
    /// </summary>
    private static void Convolution(List<Part> parts, string name, int batch, int c, int h, int w, int outChannels, int k, int pad, bool inputGradient)
    {
        int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1, positions = oh * ow, taps = c * k * k;
        float[] x = Values(batch * c * h * w), weight = Values(outChannels * taps);
        float[] y = Values(batch * outChannels * positions), dWeight = Values(outChannels * taps);
        parts.Add(new($"{name} fused forward [{batch}x{c}x{h}x{w}] -> [{batch}x{outChannels}x{positions}]",
            () => Kernels.Convolution.Forward(x, weight, y, batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, outChannels)));
        parts.Add(new($"{name} fused weight gradient {outChannels}x{taps}, {batch} examples",
            () => Kernels.Convolution.WeightGradient(y, x, dWeight, batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, outChannels)));
        if (!inputGradient)
            return;
        parts.Add(new($"{name} fused input gradient [{batch}x{c}x{h}x{w}]",
            () => Kernels.Convolution.InputGradient(y, weight, x, batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, outChannels)));
    }

    /// <summary>A 2×2 max pool's two direct calls (branch pooling): the forward pass and the gradient's scatter to each window's maximum.</summary>
    private static void Pooling(List<Part> parts, string name, int batch, int c, int h, int w)
    {
        int oh = h / 2, ow = w / 2;
        float[] x = Values(batch * c * h * w), pooled = Values(batch * c * oh * ow), dx = Values(batch * c * h * w);
        parts.Add(new($"{name} max pool [{batch}x{c}x{h}x{w}] -> [{batch}x{c}x{oh}x{ow}]",
            () => Kernels.Pooling.MaxPool(x, x, pooled, batch, c, h, w, 2, 2, 2, 2, 0, 0, 1, 1)));
        parts.Add(new($"{name} max pool gradient", () => Kernels.Pooling.MaxPoolBackward(x, pooled, dx, batch, c, h, w, 2, 2, 2, 2, 0, 0, 1, 1)));
    }

    private static float[] Values(int count)
    {
        var random = new Random(count);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static double Median(Action run)
    {
        for (int i = 0; i < 3; i++)
            run();
        var times = new double[9];
        for (int s = 0; s < times.Length; s++)
        {
            double start = Now();
            run();
            times[s] = Now() - start;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>Seconds on the clock <see cref="s_threadClock"/> picks.</summary>
    private static double Now()
    {
        if (!s_threadClock)
            return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        ClockGetTime(ThreadCpuClock, out TimeSpec t);
        return t.Seconds + (t.Nanoseconds * 1e-9);
    }

    /// <summary>Linux's CLOCK_THREAD_CPUTIME_ID: the time the calling thread ran.</summary>
    private const int ThreadCpuClock = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
