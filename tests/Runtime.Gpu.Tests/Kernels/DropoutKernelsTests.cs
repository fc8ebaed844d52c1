using System;
using System.Linq;
using Dsl.Kernels;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class DropoutKernelsTests
{
    private const ulong Seed = 0x0123_4567_89AB_CDEFUL;

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void KeepsAboutOneMinusPAndPreservesTheMean(float p)
    {
        const int n = 1 << 20;
        float[] x = Enumerable.Repeat(1f, n).ToArray();
        var y = new float[n];
        DropoutKernels.Apply(x, y, n, Seed, site: 3, step: 17, start: 0, p);

        int kept = y.Count(v => v != 0f);
        // A binomial count: 5 standard deviations of n·p·(1 − p) either side of n·(1 − p).
        double sigma = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(kept, n * (1 - p) - 5 * sigma, n * (1 - p) + 5 * sigma);
        Assert.All(y, v => Assert.True(v == 0f || v == DropoutKernels.Scale(p)));
        Assert.InRange(y.Average(v => (double)v), 1 - 5 * sigma / n / (1 - p), 1 + 5 * sigma / n / (1 - p));
    }

    [Fact]
    public void ZeroIsTheIdentity()
    {
        float[] x = Enumerable.Range(0, 1000).Select(i => i * 0.37f - 50f).ToArray();
        var y = new float[x.Length];
        DropoutKernels.Apply(x, y, x.Length, Seed, 0, 0, 0, 0f);
        Assert.Equal(x, y);
    }

    [Fact]
    public void TheMaskIsAPureFunctionOfSeedSiteStepAndIndexForAnySplit()
    {
        const int n = 4099;
        float[] x = Enumerable.Range(0, n).Select(i => 1f + i).ToArray();
        var whole = new float[n];
        DropoutKernels.Apply(x, whole, n, Seed, 2, 5, 0, 0.3f);

        // Any row split (odd lengths, starts not a multiple of four) gives the same elements.
        var pieces = new float[n];
        foreach ((int start, int length) in new[] { (0, 7), (7, 1000), (1007, 1), (1008, 3091) })
            DropoutKernels.Apply(x.AsSpan(start, length), pieces.AsSpan(start, length), length, Seed, 2, 5, (ulong)start, 0.3f);
        Assert.Equal(whole, pieces);

        for (int i = 0; i < n; i++)
            Assert.Equal(DropoutKernels.Keeps(Seed, 2, 5, (ulong)i, DropoutKernels.Threshold(0.3f)), whole[i] != 0f);

        // Another step, site or seed draws another mask.
        foreach ((ulong seed, uint site, uint step) in new[] { (Seed, 2u, 6u), (Seed, 3u, 5u), (Seed + 1, 2u, 5u) })
        {
            var other = new float[n];
            DropoutKernels.Apply(x, other, n, seed, site, step, 0, 0.3f);
            Assert.NotEqual(whole, other);
        }
    }

    [Fact]
    public void TheThresholdIsTheComparisonUAtLeastP()
    {
        // u = k · 2^-24 ≥ p exactly when k ≥ ⌈p · 2^24⌉.
        foreach (float p in new[] { 0f, 0.1f, 0.25f, 0.5f, 1f / 3, 0.999f })
        {
            uint t = DropoutKernels.Threshold(p);
            Assert.True(t * (1.0 / (1 << 24)) >= p);
            Assert.True(t == 0 || (t - 1) * (1.0 / (1 << 24)) < p);
        }
    }

    [Theory]
    [InlineData(0.1f, 0UL)]
    [InlineData(0.25f, 1UL)]
    [InlineData(0.5f, 2UL)]
    [InlineData(0.9f, 0xFFFF_FFFDUL)] // mid-block, the stream position crossing 2^32
    [InlineData(0.3f, (1UL << 34) - 13)] // the block counter's low word carrying into its high word
    public void TheFusedMaskIsApplysBitForBitAtEveryAlignment(float p, ulong start)
    {
        // A fused loop applies DropoutMask eight elements (or one) at a time from any position.
        const int n = 1003;
        float[] x = Enumerable.Range(0, n).Select(i => MathF.Sin(i) * 3f - (i % 7 == 0 ? 0f : 0.5f)).ToArray();
        var expected = new float[n];
        DropoutKernels.Apply(x, expected, n, Seed, 4, 9, start, p);

        var mask = new DropoutMask(Seed, 4, 9, p);
        var jumping = new DropoutMask(Seed, 4, 9, p);
        var jumped = new float[n];
        for (int i = n - 1; i >= 0; i -= 3) // backwards and sparse: every read refills
            jumped[i] = jumping.Apply(x[i], start + (ulong)i);
        var vectors = new float[n];
        var scalars = new float[n];
        for (int i = 0; i < n; i++)
            scalars[i] = mask.Apply(x[i], start + (ulong)i);
        int at = 0;
        for (; at + 8 <= n; at += 8)
            System.Runtime.Intrinsics.Vector256.CopyTo(mask.Apply(System.Runtime.Intrinsics.Vector256.Create(x, at), start + (ulong)at), vectors, at);
        for (; at < n; at++)
            vectors[at] = mask.Apply(x[at], start + (ulong)at);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), scalars.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), vectors.Select(BitConverter.SingleToInt32Bits));
        for (int i = n - 1; i >= 0; i -= 3)
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(jumped[i]));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void RejectsAProbabilityOutsideZeroToOne(float p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernels.Apply(new float[4], new float[4], 4, Seed, 0, 0, 0, p));
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsShortSpans()
    {
        var error = Assert.Throws<ArgumentException>(() => DropoutKernels.Apply(new float[3], new float[4], 4, Seed, 0, 0, 0, 0.5f));
        Assert.Contains("x has 3 elements", error.Message, StringComparison.Ordinal);
    }
}

[Collection(OpenCl.OpenClCollection.Name)]
public sealed class DropoutOpenClTests
{
    [OpenClTheory]
    [InlineData(0.1f, 0UL, 0u, 0u, 0UL)]
    [InlineData(0.5f, 0xDEAD_BEEF_0000_0042UL, 7u, 123_456u, 0xFFFF_FFF0UL)] // the stream position crosses 2^32
    [InlineData(0.9f, ulong.MaxValue, uint.MaxValue, uint.MaxValue, 3UL)]
    public void TheOpenClMaskIsTheCpuMaskBitForBit(float p, ulong seed, uint site, uint step, ulong start)
    {
        const int n = 10_007;
        float[] x = Enumerable.Range(0, n).Select(i => MathF.Sin(i) * 3f).ToArray();
        var expected = new float[n];
        DropoutKernels.Apply(x, expected, n, seed, site, step, start, p);

        using var device = Device.OpenCL();
        using var kernel = device.GetProgram(DropoutKernels.OpenClSource, "DropoutTests").CreateKernel("dropout");
        using var input = device.AllocateFloats(n + 5, "x");
        using var output = device.AllocateFloats(n + 2, "y");
        input.Write(x, 5);
        kernel.SetArg(0, n);
        kernel.SetArg(1, input);
        kernel.SetArg(2, 5);
        kernel.SetArg(3, output);
        kernel.SetArg(4, 2);
        kernel.SetArg(5, unchecked((int)(uint)seed));
        kernel.SetArg(6, unchecked((int)(uint)(seed >> 32)));
        kernel.SetArg(7, unchecked((int)site));
        kernel.SetArg(8, unchecked((int)step));
        kernel.SetArg(9, unchecked((int)(uint)start));
        kernel.SetArg(10, unchecked((int)(uint)(start >> 32)));
        kernel.SetArg(11, unchecked((int)DropoutKernels.Threshold(p)));
        kernel.SetArg(12, DropoutKernels.Scale(p));
        kernel.Launch((n + 63) / 64 * 64);

        var actual = new float[n + 2];
        output.Read(actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual[2..].Select(BitConverter.SingleToInt32Bits));
    }
}
