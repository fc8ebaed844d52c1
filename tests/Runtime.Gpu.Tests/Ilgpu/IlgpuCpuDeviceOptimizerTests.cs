using System;
using System.Linq;
using Dsl.Kernels.Ilgpu;
using Dsl.Tests.Kernels.Contract;
using ILGPU;
using ILGPU.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// Issue 17 on ILGPU's CPU accelerator: <see cref="DeviceOptimizer"/>'s step never waits for the
/// device (the clip factor is computed there, the norm read back only when asked) and still matches
/// the CPU's update; and the library's launches allocate nothing of their own.
/// </summary>
/// <remarks>
/// Tolerances as <c>OpenClDeviceOptimizerTests</c>': 1e-6 relative to the tensor for the parameters
/// and 1e-6 relative for the norm. The device sums the squares in another order than the CPU, so with
/// clipping its factor can differ by an ulp; the rest is the CPU's arithmetic.
/// </remarks>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuDeviceOptimizerTests(IlgpuKernelsFixture fixture, ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData("sgd-nesterov", true)]
    [InlineData("adamw", true)]
    [InlineData("adam", false)]
    public void StepsMatchTheCpuWithoutWaitingForTheDevice(string configuration, bool clip)
    {
        const int count = 5_000, steps = 3;
        IlgpuDevice device = fixture.Device;
        var random = new Random(count + configuration.Length);
        float[] cpuParameters = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        OptimizerState cpu = Create(configuration, clip, count).CreateState(count);
        OptimizerState gpu = Create(configuration, clip, count).CreateState(count);
        using var optimizer = new DeviceOptimizer(gpu, device);
        using var parameters = device.AllocateFloats(count, "parameters");
        using var gradients = device.AllocateFloats(count, "gradients");
        parameters.Write(cpuParameters);

        var deviceParameters = new float[count];
        for (int step = 1; step <= steps; step++)
        {
            float[] g = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            gradients.Write(g);
            cpu.Update(cpuParameters, g);

            long waits = device.Synchronizations;
            optimizer.Update(parameters, gradients);
            Assert.Equal(waits, device.Synchronizations);

            // The norm is read when asked for, and is the CPU's within the summation order.
            Assert.Equal(cpu.Step, gpu.Step);
            double normDifference = Math.Abs(cpu.LastGradientNorm - gpu.LastGradientNorm) / cpu.LastGradientNorm;
            Assert.Equal(waits + 1, device.Synchronizations);
            Assert.True(normDifference <= Tolerance, $"step {step}: norm {gpu.LastGradientNorm} on the device, {cpu.LastGradientNorm} on the CPU");

            parameters.Read(deviceParameters);
            double magnitude = cpuParameters.Max(v => Math.Abs((double)v));
            double worst = cpuParameters.Zip(deviceParameters, (c, d) => Math.Abs(c - (double)d)).Max() / magnitude;
            output.WriteLine($"{configuration}{(clip ? " clipped" : "")}, step {step}: max |Δ|/max|cpu| {worst:E2}, norm relative Δ {normDifference:E2}");
            Assert.True(worst <= Tolerance, $"{configuration} step {step}: parameters differ from the CPU's by {worst:E2} of their largest.");
        }
    }

    /// <summary>
    /// Batches of 40 rounds of library calls (fill, scale, the two-stage sum of squares, the clip factor, an SGD
    /// update: six launches a round) allocate no more than ILGPU's own typed launches of the same
    /// kernels: a closure and its delegate per launch (over 80 bytes) would fail it. ILGPU's CPU
    /// accelerator allocates a task object per launch whoever launches; on CUDA that is nothing.
    /// </summary>
    [Fact]
    public void LibraryLaunchesAllocateNothingBeyondIlgpusOwn()
    {
        const int count = 1000, rounds = 40;
        IlgpuDevice device = fixture.Device;
        var kernels = (IlgpuKernels)device.Kernels;
        using var x = device.AllocateFloats(count, "x");
        using var y = device.AllocateFloats(count, "y");
        using var momentum = device.AllocateFloats(count, "momentum");
        using var sum = device.AllocateFloats(1, "sum of squares");
        using var factor = device.AllocateFloats(1, "clip factor");
        const SgdUpdateFlags flags = SgdUpdateFlags.Momentum | SgdUpdateFlags.Nesterov;

        void Round()
        {
            kernels.Fill(count, 0.5f, x);
            kernels.Scale(count, 2f, x, y);
            kernels.SumOfSquares(count, y, sum);
            kernels.ClipFactor(sum, 3f, factor);
            kernels.SgdUpdate(count, factor, -0.01f, 0f, 0.9f, 1f, flags, x, y, momentum);
        }

        // ILGPU's typed launchers of the same kernels, on the same grids, called directly.
        Accelerator accelerator = device.Accelerator;
        var fill = accelerator.LoadKernel<int, ArrayView<float>, float>(IlgpuVectorKernels.Fill);
        var scale = accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, float>(IlgpuVectorKernels.Scale);
        var groupSums = accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, int, int, int>(IlgpuVectorKernels.GroupSums);
        var finishSum = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, int, float>(IlgpuVectorKernels.FinishSum);
        var clipFactor = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, float>(IlgpuOptimizerKernels.ClipFactor);
        var sgd = accelerator.LoadKernel<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, SgdArguments>(IlgpuOptimizerKernels.SgdUpdate);
        using var partials = device.AllocateFloats(count, "partials");
        ArrayView<float> xs = ((IlgpuBuffer)x).Floats(0), ys = ((IlgpuBuffer)y).Floats(0), ms = ((IlgpuBuffer)momentum).Floats(0);
        ArrayView<float> sums = ((IlgpuBuffer)sum).Floats(0), factors = ((IlgpuBuffer)factor).Floats(0), ps = ((IlgpuBuffer)partials).Floats(0);
        KernelConfig grid = device.GridStrideLaunch(count), one = device.GridStrideLaunch(1);
        int groups = (count + (kernels.RowGroupSize * IlgpuKernels.ItemsPerThread) - 1) / (kernels.RowGroupSize * IlgpuKernels.ItemsPerThread);
        KernelConfig perGroup = device.RowStrideLaunch(groups, kernels.RowGroupSize);
        var arguments = new SgdArguments(-0.01f, 0f, 0.9f, 1f, (int)flags);
        AcceleratorStream stream = device.Stream;

        void Direct()
        {
            fill(stream, grid, count, xs, 0.5f);
            scale(stream, grid, count, xs, ys, 2f);
            groupSums(stream, perGroup, groups, ys, ps, count, IlgpuKernels.ItemsPerThread, 1);
            finishSum(stream, one, ps, sums, groups, 1f);
            clipFactor(stream, one, sums, factors, 3f);
            sgd(stream, grid, count, xs, ys, ms, factors, arguments);
        }

        // What a launch allocates on the CPU accelerator depends on how its worker threads are
        // scheduled (a CI run failed this check on code that had passed it), so the two are measured
        // in alternating batches, after one warm-up round each, and the least each allocated is compared.
        long AllocatedBy(Action round)
        {
            device.Synchronize();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < rounds; i++)
                round();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            device.Synchronize();
            return bytes;
        }

        Round();
        Direct();
        long allocated = long.MaxValue, ilgpuOwn = long.MaxValue;
        for (int batch = 0; batch < 5; batch++)
        {
            allocated = Math.Min(allocated, AllocatedBy(Round));
            ilgpuOwn = Math.Min(ilgpuOwn, AllocatedBy(Direct));
        }

        const int launches = 6 * rounds;
        output.WriteLine($"{launches} library launches allocated {allocated} bytes; ILGPU's own typed launches of the same kernels {ilgpuOwn}.");
        // Less than 8 bytes a launch over ILGPU's own: a one-off allocation of the runtime's passes, any object per launch fails.
        Assert.True(allocated - ilgpuOwn < 8 * launches, $"{launches} library launches allocated {allocated} bytes; ILGPU's own typed launches {ilgpuOwn}.");
    }

    private static Optimizer Create(string configuration, bool clip, int count)
    {
        Optimizer optimizer = configuration switch
        {
            "sgd-nesterov" => new Sgd(0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
            "adam" => new Adam(1e-2f),
            "adamw" => new AdamW(1e-2f, weightDecay: 0.1f),
            _ => throw new ArgumentException(configuration, nameof(configuration)),
        };
        // The gradients' norm is about 0.29·√count: clip to a third of it, so every step clips.
        if (clip)
            optimizer.ClipGradNorm = (float)(0.1 * Math.Sqrt(count));
        return optimizer;
    }
}
