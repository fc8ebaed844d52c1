using System;
using System.Linq;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class OpenClKernelTests
{
    private const string Source = """
        // y[offset + i] += a * x[i] for i < n; global may exceed n.
        __kernel void axpy(__global float* y, __global const float* x, float a, int offset, int n)
        {
            int i = get_global_id(0);
            if (i < n)
                y[offset + i] += a * x[i];
        }

        // out[r * cols + c] = r * 1000 + c over a rows x cols grid.
        __kernel void grid(__global int* out, int rows, int cols)
        {
            int c = get_global_id(0), r = get_global_id(1);
            if (r < rows && c < cols)
                out[r * cols + c] = r * 1000 + c;
        }

        // One sum per work-group through __local scratch.
        __kernel void group_sum(__global const float* x, __global float* sums, __local float* scratch)
        {
            int lid = get_local_id(0), size = get_local_size(0);
            scratch[lid] = x[get_global_id(0)];
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int width = size / 2; width > 0; width /= 2)
            {
                if (lid < width)
                    scratch[lid] += scratch[lid + width];
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            if (lid == 0)
                sums[get_group_id(0)] = scratch[0];
        }

        // Enough work to take measurable time.
        __kernel void spin(__global float* x, int iterations)
        {
            int i = get_global_id(0);
            float v = x[i];
            for (int k = 0; k < iterations; k++)
                v = v * 0.999f + 0.001f;
            x[i] = v;
        }
        """;

    [OpenClFact]
    public void LaunchesWithBufferFloatAndIntArguments()
    {
        using var device = Device.OpenCL();
        using var kernel = device.GetProgram(Source, "KernelTests").CreateKernel("axpy");
        using var y = device.AllocateFloats(40, "y");
        using var x = device.AllocateFloats(37, "x");
        float[] xs = Enumerable.Range(0, 37).Select(i => (float)i).ToArray();
        x.Write(xs);
        y.Fill(1f, 0, 40);

        kernel.SetArg(0, y);
        kernel.SetArg(1, x);
        kernel.SetArg(2, 0.5f);
        kernel.SetArg(3, 3);
        kernel.SetArg(4, 37);
        kernel.Launch(64, 32); // rounded up; the kernel's bounds check keeps it inside
        kernel.Launch(37);     // the driver picks the work-group

        var result = new float[40];
        y.Read(result);
        Assert.Equal(new[] { 1f, 1, 1 }, result[..3]);
        for (int i = 0; i < 37; i++)
            Assert.Equal(1f + 2 * 0.5f * i, result[3 + i]);
        Assert.Equal("axpy", kernel.Name);
    }

    [OpenClFact]
    public void LaunchesTwoDimensionalRangesAndLocalScratch()
    {
        using var device = Device.OpenCL();
        var program = device.GetProgram(Source, "KernelTests");
        using var grid = program.CreateKernel("grid");
        using var output = device.AllocateInts(5 * 7, "grid");
        grid.SetArg(0, output);
        grid.SetArg(1, 5);
        grid.SetArg(2, 7);
        grid.Launch(8, 8, 4, 4);
        var cells = new int[35];
        output.Read(cells);
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 7; c++)
                Assert.Equal(r * 1000 + c, cells[r * 7 + c]);

        using var sum = program.CreateKernel("group_sum");
        using var x = device.AllocateFloats(256, "x");
        using var sums = device.AllocateFloats(4, "sums");
        x.Write(Enumerable.Range(0, 256).Select(i => (float)i).ToArray());
        sum.SetArg(0, x);
        sum.SetArg(1, sums);
        sum.SetLocalArg(2, 64 * sizeof(float));
        sum.Launch(256, 64);
        var groups = new float[4];
        sums.Read(groups);
        Assert.Equal(Enumerable.Range(0, 4).Select(g => (float)Enumerable.Range(g * 64, 64).Sum()).ToArray(), groups);
    }

    [OpenClFact]
    public void BadArgumentsAndLaunchesNameTheKernel()
    {
        using var device = Device.OpenCL();
        using var kernel = device.GetProgram(Source, "KernelTests").CreateKernel("axpy");
        var error = Assert.Throws<OpenClException>(() => kernel.SetArg(9, 1));
        Assert.Equal("CL_INVALID_ARG_INDEX", error.ErrorName);
        Assert.Contains("argument 9 of kernel 'axpy'", error.Message);

        error = Assert.Throws<OpenClException>(() => kernel.Launch(64, 32)); // no argument set
        Assert.Equal("clEnqueueNDRangeKernel", error.Call);
        Assert.Equal("CL_INVALID_KERNEL_ARGS", error.ErrorName);
        Assert.Contains("kernel 'axpy' of program 'KernelTests' with global size 64 and work-group size 32", error.Message);

        kernel.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kernel.SetArg(0, 1));
    }

    [OpenClFact]
    public void SettingArgumentsAndLaunchingAllocateNothing()
    {
        using var device = Device.OpenCL();
        using var kernel = device.GetProgram(Source, "KernelTests").CreateKernel("axpy");
        using var y = device.AllocateFloats(1024, "y");
        using var x = device.AllocateFloats(1024, "x");
        float[] host = new float[1024];
        void Step()
        {
            kernel.SetArg(0, y);
            kernel.SetArg(1, x);
            kernel.SetArg(2, 0.5f);
            kernel.SetArg(3, 0);
            kernel.SetArg(4, 1024);
            kernel.Launch(1024, 64);
            x.Write(host);
            y.Read(host);
            device.Finish();
        }

        for (int i = 0; i < 10; i++)
            Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
            Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [OpenClFact]
    public void ProfilingReportsTheLastLaunchsDuration()
    {
        using var device = Device.OpenCL(null, null, new OpenClDeviceOptions { EnableProfiling = true });
        Assert.True(device.IsProfiling);
        using var kernel = device.GetProgram(Source, "KernelTests").CreateKernel("spin");
        using var x = device.AllocateFloats(1 << 16, "x");
        Assert.Throws<InvalidOperationException>(() => kernel.LastDuration);
        kernel.SetArg(0, x);
        kernel.SetArg(1, 2000);
        kernel.Launch(1 << 16, 64);
        TimeSpan duration = kernel.LastDuration;
        Assert.InRange(duration, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(60));

        using var plain = Device.OpenCL();
        using var unprofiled = plain.GetProgram(Source, "KernelTests").CreateKernel("spin");
        var error = Assert.Throws<InvalidOperationException>(() => unprofiled.LastDuration);
        Assert.Contains("EnableProfiling", error.Message);
    }
}
