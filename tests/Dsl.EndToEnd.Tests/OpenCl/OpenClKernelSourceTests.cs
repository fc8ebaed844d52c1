using System;
using System.Reflection;
using System.Text.RegularExpressions;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// Each model's generated OpenCL C (the fused kernels in the <c>OpenClC</c> constant of its
/// DeviceProgram, after the runtime's <see cref="OpenClKernels.FusedPrelude"/>) is OpenCL C 1.2 that
/// builds without a single warning: the device's options start with <c>-cl-std=CL1.2</c>, and
/// <c>-Werror</c> turns any warning into a build failure whose log the exception carries. (The
/// library kernels and their GEMM tilings are the runtime's, tested in Runtime.Gpu.Tests.)
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClKernelSourceTests(OpenClDeviceFixture fixture)
{
    [OpenClTheory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void TheKernelSourceBuildsAsOpenCl12WithoutWarnings(string name)
    {
        string source = KernelSource(ParityModels.Create(name, seed: 0).GetType());
        Assert.StartsWith("-cl-std=CL1.2", fixture.Device.BuildOptions);

        fixture.Device.GetProgram(source, name + " with -Werror", "-Werror");
    }

    [OpenClTheory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void TheKernelSourceUsesNoDoubleAndNoOpenCl2Feature(string name)
    {
        string code = Regex.Replace(KernelSource(ParityModels.Create(name, seed: 0).GetType()), @"//[^\n]*", "");
        Assert.DoesNotMatch(@"\bdouble\b|\bhalf\b|__generic|\bgeneric\b|\bwork_group_|\bsub_group_|\batomic_|\benqueue_kernel\b|\bpipe\b", code);
        // Every float literal carries the f suffix: an unsuffixed one would be a double.
        Assert.DoesNotMatch(@"(?<![\w.])\d+\.\d*(?![\deEf])", code);
    }

    /// <summary>-Werror does what the test above relies on: a source with a warning fails to build.</summary>
    [OpenClFact]
    public void WerrorTurnsAWarningIntoABuildFailure()
    {
        const string source = "#warning a warning\n__kernel void k(__global float* x) { x[0] = 1.0f; }\n";
        fixture.Device.GetProgram(source, "warning probe");
        var error = Assert.Throws<OpenClBuildException>(() => fixture.Device.GetProgram(source, "warning probe with -Werror", "-Werror"));
        Assert.Contains("a warning", error.BuildLog);
    }

    /// <summary>What the device builds of a model's DeviceProgram: the runtime's prelude, then the generator's OpenClC constant.</summary>
    internal static string KernelSource(Type model)
    {
        Type program = model.GetNestedType("DeviceProgram", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{model.Name} has no DeviceProgram.");
        FieldInfo field = program.GetField("OpenClC", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{model.Name}.DeviceProgram has no OpenClC.");
        return OpenClKernels.FusedPrelude + "\n\n" + (string)field.GetRawConstantValue()!;
    }
}
