using Dsl.Testing;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>The OpenCL library is built once per device, shares the optimizer's program, and carries the fused kernels' helpers.</summary>
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

        // The optimizer's program is the library's: OpenClOptimizer finds it built.
        using var optimizer = new OpenClOptimizer(new Sgd(0.1f).CreateState(4), device);
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
}
