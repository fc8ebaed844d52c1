using Dsl.Testing;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>The OpenCL library is built once per device, runs the optimizer, and carries the fused kernels' helpers; a program's fused kernels launch through <see cref="FusedKernels"/>.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClKernelLibraryTests
{
    [OpenClFact]
    public void TheLibraryIsBuiltOncePerDeviceWithTheDevicesTiling()
    {
        using OpenClDevice device = Device.OpenCL();
        OpenClKernels kernels = device.Kernels;
        int builds = device.ProgramBuildCount;

        Assert.Same(kernels, device.Kernels);
        Assert.Same(kernels, ((Device)device).Kernels);
        Assert.Equal(device.IsGpu ? 4 : 8, kernels.GemmBlock);
        Assert.True((kernels.GemmTile / kernels.GemmBlock) * (kernels.GemmTile / kernels.GemmBlock) <= device.MaxWorkGroupSize);

        // The optimizer runs on the library: DeviceOptimizer builds nothing.
        using var optimizer = new DeviceOptimizer(new Sgd(0.1f).CreateState(4), device);
        Assert.Equal(builds, device.ProgramBuildCount);
    }

    [OpenClFact]
    public void AFusedKernelCompilesAgainstThePrelude()
    {
        using OpenClDevice device = Device.OpenCL();
        const string fused = """
            __kernel void fused(__global float* y, const int n)
            {
                const int i = get_global_id(0);
                if (i < n) y[i] = dsl_dropout(dsl_gelu(y[i]), (uint)i, 0u, 1u, 2u, 3u, 4u, 0u, 1.0f);
            }
            """;
        using var kernel = device.GetProgram(OpenClKernels.FusedPrelude + "\n\n" + fused, "FusedPreludeTest").CreateKernel("fused");
        using var y = device.AllocateFloats(3, "y");
        y.Write([-1f, 0f, 2f]);
        kernel.SetArg(0, y);
        kernel.SetArg(1, 3);
        kernel.Launch(3);
        var result = new float[3];
        y.Read(result);

        // Threshold 0 keeps everything at scale 1: the result is GELU's (x·Φ(x)).
        Assert.Equal(-0.158655f, result[0], 4);
        Assert.Equal(0f, result[1]);
        Assert.Equal(1.954500f, result[2], 4);
    }

    /// <summary>A program's OpenCL C fused kernels build after the prelude and launch with the uniform arguments: count, operands (result last), seed, dropout key and step.</summary>
    [OpenClFact]
    public void AProgramsFusedKernelsLaunchThroughTheDevicesSeam()
    {
        using OpenClDevice device = Device.OpenCL();
        var sources = new FusedKernelSources("FusedSeamTest", ["axpy"])
        {
            OpenClC = """
                __kernel void axpy(const int count, __global const float* a0, const int o0, __global float* r1, const int o1,
                    const float seed, const uint dropout_seed_lo, const uint dropout_seed_hi, const uint dropout_step)
                {
                    const int gid = get_global_id(0);
                    if (gid >= count) return;
                    r1[o1 + gid] = seed * a0[o0 + gid] + (float)dropout_step;
                }
                """,
        };
        Assert.True(device.CanBuild(sources));
        Assert.False(Device.Cpu.CanBuild(sources));
        Assert.False(device.CanBuild(new FusedKernelSources("NoOpenClC", ["axpy"])));

        using FusedKernels fused = device.BuildFusedKernels(sources);
        using var x = device.AllocateFloats(4, "x");
        using var y = device.AllocateFloats(5, "y");
        x.Write([1f, 2f, 3f, 4f]);
        fused.Launch(0, 3, new FusedScalars(2f, 0, 10), x.Slice(1), y.Slice(2));
        var result = new float[5];
        y.Read(result);
        Assert.Equal([0f, 0f, 14f, 16f, 18f], result);

        Assert.Throws<System.ArgumentOutOfRangeException>(() => fused.Launch(1, 3, default, x, y));
        var shortResult = Assert.Throws<System.ArgumentException>(() => fused.Launch(0, 4, default, x, y.Slice(2)));
        Assert.Contains("writes 4 elements from offset 2 of buffer 'y'", shortResult.Message);
    }
}
