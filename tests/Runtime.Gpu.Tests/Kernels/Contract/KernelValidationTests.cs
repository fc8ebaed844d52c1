using System;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// The public methods' checks, on every backend: a negative size, a slice too short for what the
/// kernel touches, of the wrong element type, of another device, or of no buffer is refused with a
/// message naming the parameter, and nothing is computed.
/// </summary>
public abstract class KernelValidationTests : KernelContractTests
{
    [KernelFact]
    public void ASliceTooShortNamesTheParameterOffsetExtentAndLength()
    {
        var x = Harness.Floats(RandomFloats(1, 20));
        var y = Harness.Floats(RandomFloats(2, 20));
        float[] before = Harness.Read(y);

        var error = Assert.Throws<ArgumentException>(() => Kernels.Softmax(4, 5, x.Slice(2), y));

        Assert.Equal("x", error.ParamName);
        Assert.Contains("touches 20 elements from offset 2 of buffer 'floats'", error.Message);
        Assert.Contains("needs 22 elements but the buffer has 20", error.Message);
        Assert.Equal(before, Harness.Read(y)); // checked before anything ran
    }

    [KernelFact]
    public void TheExtentOfABatchedOperandCountsItsStrides()
    {
        // Two examples of 2×3 A with a batch stride of 10: the last A ends at 10 + 6 = 16 > 15.
        var a = Harness.Zeros(15);
        var error = Assert.Throws<ArgumentException>(() =>
            Kernels.BatchedGemm(false, false, 2, 1, 2, 2, 3, a, 10, 0, Harness.Zeros(6), 0, 0, Harness.Zeros(8)));
        Assert.Equal("a", error.ParamName);
        Assert.Contains("touches 16 elements from offset 0", error.Message);
    }

    [KernelFact]
    public void TheWrongElementTypeIsRefused()
    {
        var logits = Harness.Zeros(6);
        var labelsAsFloats = Harness.Zeros(2);
        var error = Assert.Throws<ArgumentException>(() => Kernels.CrossEntropy(2, 3, logits, labelsAsFloats, Harness.Zeros(2)));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("holds floats, but the kernel reads ints there", error.Message);

        error = Assert.Throws<ArgumentException>(() => Kernels.Fill(2, 1f, Harness.Ints([1, 2])));
        Assert.Equal("y", error.ParamName);
        Assert.Contains("holds ints, but the kernel reads floats there", error.Message);
    }

    [KernelFact]
    public void ABufferOfAnotherDeviceIsRefused()
    {
        using var foreign = new ForeignBuffer(8);
        var error = Assert.Throws<ArgumentException>(() => Kernels.Copy(8, foreign, Harness.Zeros(8)));
        Assert.Equal("x", error.ParamName);
        Assert.Contains($"buffer 'foreign' is on {ForeignDevice.Instance.Name}, but these kernels run on {Kernels.Device.Name}", error.Message);
    }

    [KernelFact]
    public void NegativeSizesAndMissingBuffersAreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Gemm(false, false, -1, 2, 2, Harness.Zeros(4), Harness.Zeros(4), Harness.Zeros(4)));
        Assert.Equal("m", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.CopyBlocks(1, 1, 2, 0, -3, 0, 0, Harness.Zeros(4), Harness.Zeros(4)));
        Assert.Equal("sourceOffset", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.SplitHeads(1, 1, 1, 1, 2, 2, Harness.Zeros(4), Harness.Zeros(4)));
        Assert.Equal("part", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Harness.Zeros(4).Slice(5));
        Assert.Equal("offset", error.ParamName);

        var missing = Assert.Throws<ArgumentNullException>(() => Kernels.Scale(1, 2f, default, Harness.Zeros(1)));
        Assert.Equal("x", missing.ParamName);
    }

    [KernelFact]
    public void OverlappingCopiesAreRefused()
    {
        var x = Harness.Zeros(10);
        var error = Assert.Throws<ArgumentException>(() => Kernels.Copy(4, x.Slice(1), x.Slice(3)));
        Assert.Equal("y", error.ParamName);
        Assert.Contains("copying elements [1, 5) of buffer 'floats' onto [3, 7) overlaps", error.Message);
        Kernels.Copy(4, x.Slice(1), x.Slice(5)); // adjacent ranges are fine
    }

    [KernelFact]
    public void SgdWithoutMomentumNeedsNoBuffer()
    {
        var parameters = Harness.Floats([1f, 2f]);
        Kernels.SgdUpdate(2, Harness.Floats([1f]), -0.5f, 0f, 0f, 1f, SgdUpdateFlags.None, parameters, Harness.Floats([2f, 2f]), default);
        Assert.Equal([0f, 1f], Harness.Read(parameters));

        var error = Assert.Throws<ArgumentNullException>(() =>
            Kernels.SgdUpdate(2, Harness.Floats([1f]), -0.5f, 0f, 0.9f, 1f, SgdUpdateFlags.Momentum, parameters, Harness.Zeros(2), default));
        Assert.Equal("momentumBuffer", error.ParamName);
    }

    /// <summary>A device no library runs on.</summary>
    private sealed class ForeignDevice : Device
    {
        public static readonly ForeignDevice Instance = new();

        public override string Name => "a foreign device of the test";

        public override DeviceKind Kind => DeviceKind.Cuda;

        public override bool IsDeterministic => true;
    }

    /// <summary>A float buffer of <see cref="ForeignDevice"/>.</summary>
    private sealed class ForeignBuffer(int length) : DeviceBuffer(DeviceElementType.Float32)
    {
        public override Device Device => ForeignDevice.Instance;

        public override int Length => length;

        public override string Name => "foreign";

        // The kernels refuse the buffer before they would move anything.
        public override void Write(ReadOnlySpan<float> source, int offset = 0) => throw new NotSupportedException();

        public override void Write(ReadOnlySpan<int> source, int offset = 0) => throw new NotSupportedException();

        public override void Read(Span<float> destination, int offset = 0) => throw new NotSupportedException();

        public override void Read(Span<int> destination, int offset = 0) => throw new NotSupportedException();

        public override void Dispose()
        {
        }
    }
}

/// <summary>The CPU library's checks.</summary>
public sealed class CpuKernelValidationTests : KernelValidationTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL library's checks.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClKernelValidationTests(OpenClKernelsFixture fixture) : KernelValidationTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
