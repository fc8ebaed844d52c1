using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.OpenCl;
using Dsl.Generator.Emit.OpenCl.Library;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>The OpenCL emitter's tables cover the op catalogue, and its literals are OpenCL C floats.</summary>
public class OpenClEmitterTests
{
    /// <summary>Every op a model graph can hold is an element-wise expression or a kernel call, and every kernel id a library kernel of the OpenCL backend.</summary>
    [Fact]
    public void EveryModelOpHasAnOpenClEmission()
    {
        foreach (OpKind op in Enum.GetValues<OpKind>().Where(o => !OpGroups.IsLeaf(o) && !OpGroups.IsScalarFunctionOp(o)))
            if (OpGroups.IsElementwise(op))
                Assert.False(string.IsNullOrEmpty(OpenClOps.Scalar(op, new[] { "x0", "x1", "x2" })), op.ToString());
        foreach (KernelId kernel in Enum.GetValues<KernelId>())
        {
            if (kernel == KernelId.BatchedGemm)
            {
                // One kernel per pair of transpose flags.
                foreach (bool transposeA in new[] { false, true })
                    foreach (bool transposeB in new[] { false, true })
                        Assert.Contains("__kernel", LibraryKernels.For(kernel, transposeA, transposeB).Source);
            }
            else if (kernel == KernelId.Gemm)
            {
                // A single GEMM is x·Wᵀ, x·W or xᵀ·y (gemm_nt, gemm_nn, gemm_tn).
                foreach (var (transposeA, transposeB) in new[] { (false, true), (false, false), (true, false) })
                    Assert.Contains("__kernel", LibraryKernels.For(kernel, transposeA, transposeB).Source);
            }
            else
                Assert.Contains("__kernel", LibraryKernels.For(kernel).Source);
        }
    }

    /// <summary>The generated programs' dropout function is the runtime's, whose masks a test holds equal to the CPU's bit for bit.</summary>
    [Fact]
    public void TheDropoutFunctionsAreTheRuntimesSource() =>
        Assert.Equal(Emit.OpenCl.Library.DropoutKernels.Functions, Dsl.Kernels.DropoutKernels.OpenClFunctions);

    /// <summary>The threshold and scale the generator writes into fused OpenCL kernels are the runtime's.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(1.0 / 3)]
    [InlineData(0.999)]
    public void TheDropoutLiteralsAreTheRuntimes(double p)
    {
        Assert.Equal(Dsl.Kernels.DropoutKernels.Threshold((float)p), Emit.OpenCl.Library.DropoutKernels.Threshold(p));
        Assert.Equal(Dsl.Kernels.DropoutKernels.Scale((float)p), Emit.OpenCl.Library.DropoutKernels.Scale(p));
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

    /// <summary>A program's source holds only the library kernels its steps call.</summary>
    [Fact]
    public void OnlyTheLibraryKernelsAModelCallsAreInItsSource()
    {
        string regressor = SnapshotTests.Generate("tests/Dsl.EndToEnd.Tests/Models/Regressor.cs")["Dsl.EndToEnd.Tests.Models.Regressor.OpenCl.g.cs"];
        Assert.Contains("void gemm_nt(", regressor);
        Assert.Contains("void sum_rows(", regressor);
        Assert.DoesNotContain("softmax_rows", regressor);
        Assert.DoesNotContain("cross_entropy_rows", regressor);
        Assert.Contains("dsl_gelu", regressor);
        string classifier = SnapshotTests.Generate("samples/QuickStart/Classifier.cs")["QuickStart.Classifier.OpenCl.g.cs"];
        Assert.DoesNotContain("dsl_gelu", classifier);
        Assert.DoesNotContain("sum_rows", classifier);
    }
}
