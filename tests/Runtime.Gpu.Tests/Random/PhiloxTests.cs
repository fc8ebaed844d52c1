using System;
using System.Collections.Generic;
using Xunit;

namespace Dsl.Tests.Rng; // not "Random": that would hide System.Random in the test namespaces

public sealed class PhiloxTests
{
    // Random123's kat_vectors for philox4x32_10: counter words 0..3, key words 0..1, output.
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(
        uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint x0, uint x1, uint x2, uint x3)
    {
        var block = Philox.Block(c0 | (ulong)c1 << 32, c2 | (ulong)c3 << 32, k0 | (ulong)k1 << 32);
        Assert.Equal((x0, x1, x2, x3), (block.X0, block.X1, block.X2, block.X3));
    }

    [Fact]
    public void UniformIsLaneOfTheBlockScaledTo24Bits()
    {
        var block = Philox.Block(5, 9, 42);
        Assert.Equal((block.X2 >> 8) / 16777216f, Philox.Uniform(42, 9, 5 * 4 + 2));
    }

    [Fact]
    public void UniformLiesInTheUnitIntervalAndLooksUniform()
    {
        const int count = 200_000;
        double sum = 0, sumSquares = 0;
        var buckets = new int[10];
        for (int i = 0; i < count; i++)
        {
            float u = Philox.Uniform(7, 3, (ulong)i);
            Assert.InRange(u, 0f, 0.99999995f);
            sum += u;
            sumSquares += u * (double)u;
            buckets[(int)(u * 10)]++;
        }

        Assert.Equal(0.5, sum / count, 2);
        Assert.Equal(1.0 / 12, sumSquares / count - Math.Pow(sum / count, 2), 2);
        foreach (int bucket in buckets)
            Assert.InRange(bucket, count / 10 * 0.97, count / 10 * 1.03);
    }

    [Fact]
    public void StreamsDifferBySeedAndSite()
    {
        var seen = new HashSet<float>();
        foreach (ulong seed in new ulong[] { 0, 1, 2 })
        {
            foreach (ulong site in new ulong[] { 0, 1, 2 })
                Assert.True(seen.Add(Philox.Uniform(seed, site, 0)), $"seed {seed}, site {site} repeats another stream's first value");
        }
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(3UL, 17)]
    [InlineData(6UL, 64)]
    public void FillUniformEqualsElementwiseUniformAtAnyOffset(ulong start, int length)
    {
        var values = new float[length];
        Philox.FillUniform(11, 4, start, values, -2f, 3f);
        for (int i = 0; i < length; i++)
            Assert.Equal(-2f + 5f * Philox.Uniform(11, 4, start + (ulong)i), values[i]);
    }

    [Fact]
    public void FillNormalHasUnitMomentsAndIsReproducible()
    {
        var values = new float[100_000];
        Philox.FillNormal(3, 1, 0, values);
        double mean = 0, variance = 0;
        foreach (float v in values)
            mean += v;
        mean /= values.Length;
        foreach (float v in values)
            variance += (v - mean) * (v - mean);
        variance /= values.Length;
        Assert.Equal(0, mean, 1);
        Assert.InRange(variance, 0.98, 1.02);

        var again = new float[10];
        Philox.FillNormal(3, 1, 5, again);
        Assert.Equal(values.AsSpan(5, 10).ToArray(), again);
    }
}
