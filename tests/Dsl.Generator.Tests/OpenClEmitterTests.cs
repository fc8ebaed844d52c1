using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.OpenCl;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>The OpenCL emitter's tables cover the op catalogue, and its literals are OpenCL C floats.</summary>
public class OpenClEmitterTests
{
    /// <summary>Every element-wise op a model graph can hold has an OpenCL C rendering for the fused kernels.</summary>
    [Fact]
    public void EveryElementwiseOpHasAnOpenClEmission()
    {
        foreach (OpKind op in Enum.GetValues<OpKind>().Where(o => !OpGroups.IsLeaf(o) && !OpGroups.IsScalarFunctionOp(o)))
            if (OpGroups.IsElementwise(op))
                Assert.False(string.IsNullOrEmpty(OpenClOps.Scalar(op, new[] { "x0", "x1", "x2" })), op.ToString());
    }

    /// <summary>Every kernel id the planner emits is a method of the runtime's kernel library, which the device program calls by the id's name.</summary>
    [Fact]
    public void EveryKernelIdIsADeviceKernelsMethod()
    {
        var methods = typeof(Dsl.DeviceKernels).GetMethods().Where(m => m.IsPublic && !m.IsStatic).Select(m => m.Name).ToHashSet();
        foreach (KernelId kernel in Enum.GetValues<KernelId>())
            Assert.Contains(kernel.ToString(), methods);
    }

    /// <summary>The threshold and scale the generator writes into fused OpenCL kernels are the runtime's.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(1.0 / 3)]
    [InlineData(0.999)]
    public void TheDropoutLiteralsAreTheRuntimes(double p)
    {
        Assert.Equal(Dsl.Kernels.DropoutKernels.Threshold((float)p), DropoutConstants.Threshold(p));
        Assert.Equal(Dsl.Kernels.DropoutKernels.Scale((float)p), DropoutConstants.Scale(p));
    }

    [Theory]
    [InlineData(1.0, "1.0f")]
    [InlineData(0.5, "0.5f")]
    [InlineData(-2.0, "-2.0f")]
    [InlineData(1e-8, "1E-08f")]
    [InlineData(3e38, "3E+38f")]
    [InlineData(double.NaN, "NAN")]
    [InlineData(double.PositiveInfinity, "INFINITY")]
    [InlineData(double.NegativeInfinity, "(-INFINITY)")]
    public void FloatLiteralsAreOpenClCFloats(double value, string expected) => Assert.Equal(expected, Literals.CFloat(value));

    [Fact]
    public void NegatingANegativeLiteralNeverWritesADecrement() =>
        Assert.Equal("-(-1.0f)", OpenClOps.Scalar(OpKind.Negate, new[] { "-1.0f" }));

    /// <summary>A device program carries only its fused kernels: the library kernels and the helpers are the runtime's.</summary>
    [Fact]
    public void ADeviceProgramCarriesOnlyItsFusedKernels()
    {
        string regressor = SnapshotTests.Generate("tests/Dsl.EndToEnd.Tests/Models/Regressor.cs")["Dsl.EndToEnd.Tests.Models.Regressor.Device.g.cs"];
        Assert.Contains("_kernels.Gemm(false, true, ", regressor);
        Assert.Contains("_kernels.SumRows(", regressor);
        Assert.Contains("dsl_gelu(", regressor);
        Assert.DoesNotContain("float dsl_gelu(", regressor);
        Assert.DoesNotContain("void gemm_nt(", regressor);
        Assert.DoesNotContain("void sum_rows(", regressor);
        Assert.DoesNotContain("OpenClBuffer", regressor);
    }
}
