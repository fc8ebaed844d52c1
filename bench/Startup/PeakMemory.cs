using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Dsl;
using Dsl.Benchmarks.Models;
using Dsl.Kernels;

namespace Startup;

/// <summary>
/// The memory target of issue 7: trains 784-1024-1024-10 at batch 256 for a few steps in a fresh
/// process and prints its peak working set (VmHWM) beside the bytes the run needs at least:
/// parameters, optimizer state and the activations of one batch; and the time of one step,
/// the mean over the last half of the steps (a compute figure for JIT against NativeAOT).
/// </summary>
internal static class PeakMemory
{
    private const int Batch = 256, Steps = 20;

    /// <summary>Runs the training and prints <c>key value</c> lines (bytes, and the step's nanoseconds).</summary>
    public static int Run(int threads)
    {
        CpuParallel.MaxConcurrency = threads;
        long before = Kilobytes("VmHWM") * 1024;
        var model = new Mnist1024(seed: 1);
        using var program = model.Compile(Device.Cpu, Batch);
        var random = new Random(1);
        float[] x = new float[Batch * 784];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(random.NextDouble() * 2 - 1);
        int[] y = new int[Batch];
        for (int i = 0; i < y.Length; i++)
            y[i] = random.Next(10);
        // The second half of the steps is timed too: the compute figure that compares the JIT
        // with NativeAOT builds for different instruction sets without their start-up costs.
        var timed = new Stopwatch();
        for (int step = 0; step < Steps; step++)
        {
            if (step == Steps / 2)
                timed.Start();
            program.TrainStep(x, y);
        }
        timed.Stop();

        long parameters = 4L * Mnist1024.ParameterCount;
        long optimizer = 4L * program.OptimizerState!.Buffers.Sum(b => (long)b.Values.Length);
        // The input and, per layer, its output before and after the activation.
        long activations = 4L * Batch * (784 + 2 * (1024 + 1024 + 10));
        Console.WriteLine($"peak_working_set {Kilobytes("VmHWM") * 1024}");
        Console.WriteLine($"peak_before_model {before}");
        Console.WriteLine($"parameters {parameters}");
        Console.WriteLine($"optimizer_state {optimizer}");
        Console.WriteLine($"activations {activations}");
        Console.WriteLine($"step_ns {timed.Elapsed.Ticks * 100 / (Steps - Steps / 2)}");
        return 0;
    }

    private static long Kilobytes(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}
