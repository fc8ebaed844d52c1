using System;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class OpenClProgramTests
{
    private const string Scale = """
        __kernel void scale(__global float* x, float a, int n)
        {
            int i = get_global_id(0);
            if (i < n)
                x[i] *= a;
        }
        """;

    [OpenClFact]
    public void TheSameSourceIsBuiltOncePerDevice()
    {
        using var device = Device.OpenCL();
        OpenClProgram first = device.GetProgram(Scale, "Scale");
        OpenClProgram again = device.GetProgram(string.Concat(Scale.AsSpan(0, 10), Scale.AsSpan(10)), "Scale again"); // equal text, another string
        Assert.Same(first, again);
        Assert.Equal(1, device.ProgramBuildCount);

        device.GetProgram(Scale + "\n", "Scale with a newline");
        device.GetProgram(Scale, "Scale with a define", "-DUNUSED=1");
        Assert.Equal(3, device.ProgramBuildCount);
        Assert.Equal(device.BuildOptions, first.Options);

        // Another device builds its own.
        using var other = Device.OpenCL();
        Assert.NotSame(first, other.GetProgram(Scale, "Scale"));
        Assert.Equal(1, other.ProgramBuildCount);
    }

    [OpenClFact]
    public void ABuildFailureCarriesTheLogTheNameAndTheOptions()
    {
        using var device = Device.OpenCL();
        const string broken = """
            __kernel void broken(__global float* x)
            {
                x[0] = undeclared_thing;
            }
            """;
        var error = Assert.Throws<OpenClBuildException>(() => device.GetProgram(broken, "Broken.OpenClProgram"));
        Assert.Equal("clBuildProgram", error.Call);
        Assert.Equal("CL_BUILD_PROGRAM_FAILURE", error.ErrorName);
        Assert.Contains("undeclared_thing", error.BuildLog);
        Assert.Contains("'Broken.OpenClProgram'", error.Message);
        Assert.Contains(device.BuildOptions, error.Message);
        Assert.Contains(error.BuildLog.TrimEnd(), error.Message);

        // A failure is not cached: asking again builds (and fails) again.
        Assert.Throws<OpenClBuildException>(() => device.GetProgram(broken, "Broken.OpenClProgram"));
        Assert.Equal(0, device.ProgramBuildCount);
    }

    [OpenClFact]
    public void AnUnknownKernelNameIsReported()
    {
        using var device = Device.OpenCL();
        var error = Assert.Throws<OpenClException>(() => device.GetProgram(Scale, "Scale").CreateKernel("scal"));
        Assert.Equal("CL_INVALID_KERNEL_NAME", error.ErrorName);
        Assert.Contains("kernel 'scal' of OpenCL program 'Scale'", error.Message);
    }
}
