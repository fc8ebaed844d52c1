using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Dsl.Benchmarks;

/// <summary>
/// <c>device-conv-profile [rounds]</c> (issues 17/19, branch devconv): the fused convolution's three
/// device kernels at the residual stack's shape (<see cref="ResidualStack"/>: [16, 32, 32], 16@3x3
/// padding 1, batch 32) on the OpenCL device (here PoCL, on the same CPU cores: a proxy for a GPU,
/// not a GPU), each call waited for, and the residual16/32 train step on that device. It uses only
/// the public kernel interface, so the same file measures any revision of the runtime (an A/B of two
/// builds run in turns). Prints the median of each, in ms, and the load average before and after.
/// </summary>
public static class DeviceConvolutionProfile
{
    /// <summary>Runs the profile.</summary>
    /// <param name="args">The timed calls of each kernel (the median is printed), 5 when not given.</param>
    /// <returns>0.</returns>
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"load before: {Load()}");
        using OpenClDevice device = Device.OpenCL();
        Console.WriteLine($"device: {device.Name}");
        const int batch = 32, c = 16, h = 32, w = 32, k = 3, pad = 1, o = 16;
        DeviceBuffer x = Buffer(device, batch * c * h * w), weight = Buffer(device, o * c * k * k);
        DeviceBuffer y = Buffer(device, batch * o * h * w), dx = Buffer(device, batch * c * h * w), dw = Buffer(device, o * c * k * k);
        DeviceKernels kernels = device.Kernels;
        Time("forward", rounds, dw, () => kernels.ConvolutionForward(batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, o, x.Slice(0), weight.Slice(0), y.Slice(0)));
        Time("input gradient", rounds, dw, () => kernels.ConvolutionInputGrad(batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, o, y.Slice(0), weight.Slice(0), dx.Slice(0)));
        Time("weight gradient", rounds, dw, () => kernels.ConvolutionWeightGrad(batch, c, h, w, k, k, 1, 1, pad, pad, 1, 1, o, y.Slice(0), x.Slice(0), dw.Slice(0)));
        using (ModelCase step = ModelCase.Create("residual16/32", device))
            Time("residual16/32 train step", rounds, null, () => step.Run());
        foreach (DeviceBuffer buffer in new[] { x, weight, y, dx, dw })
            buffer.Dispose();
        Console.WriteLine($"load after: {Load()}");
        return 0;
    }

    private static DeviceBuffer Buffer(Device device, int count)
    {
        var random = new Random(count);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        DeviceBuffer buffer = device.AllocateFloats(count, "profile operand");
        buffer.Write(values);
        return buffer;
    }

    /// <summary>Prints the median wall time of <paramref name="run"/> after a warm-up call, each call waited for by a one-float read of <paramref name="wait"/> (a train step waits for its loss itself).</summary>
    private static void Time(string name, int rounds, DeviceBuffer? wait, Action run)
    {
        Span<float> one = stackalloc float[1];
        var times = new double[rounds];
        for (int r = -1; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            wait?.Read(one);
            if (r >= 0)
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"  {name,-28} median {times[rounds / 2],9:F2} ms  (min {times[0]:F2}, max {times[^1]:F2})");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
