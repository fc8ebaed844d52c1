using System;
using Xunit;

namespace Dsl.Attributes.Tests;

public class SpecialFunctionsTests
{
    // Reference values from mpmath at 40 significant digits (rounded to 20), covering each of
    // Cody's three intervals and their boundaries at 0.46875 and 4.
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1e-300, 1.1283791670955125739e-300)]
    [InlineData(1e-10, 1.1283791670955125739e-10)]
    [InlineData(0.1, 0.1124629160182848922)]
    [InlineData(0.46875, 0.49261347321793799159)]
    [InlineData(0.4687500001, 0.49261347330851730526)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(1.5, 0.96610514647531072707)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.99997790950300141456)]
    [InlineData(-3.0, -0.9999779095030014)]
    [InlineData(-0.25, -0.27632639016823693299)]
    [InlineData(4.0, 0.99999998458274209972)]
    [InlineData(4.0001, 0.99999998459543525641)]
    [InlineData(-4.5, -0.99999999980338395585)]
    [InlineData(6.0, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(double.NegativeInfinity, -1.0)]
    public void Erf_MatchesHighPrecisionValues(double x, double expected)
    {
        Approx.Equal(expected, SpecialFunctions.Erf(x), relative: 1e-15);
    }

    // erfc is checked relative to its own (tiny) value: this is what keeps GELU's negative tail exact.
    [Theory]
    [InlineData(0.1, 0.8875370839817151078)]
    [InlineData(0.5, 0.47950012218695346232)]
    [InlineData(1.0, 0.15729920705028513066)]
    [InlineData(2.0, 0.0046777349810472658379)]
    [InlineData(3.0, 0.000022090496998585441373)]
    [InlineData(3.999, 1.554474949099500563e-8)]
    [InlineData(4.0, 1.5417257900280018852e-8)]
    [InlineData(5.0, 1.5374597944280348502e-12)]
    [InlineData(6.0, 2.1519736712498913117e-17)]
    [InlineData(10.0, 2.088487583762544757e-45)]
    [InlineData(-0.25, 1.276326390168236933)]
    [InlineData(-3.0, 1.9999779095030014146)]
    [InlineData(30.0, 0.0)]
    [InlineData(double.PositiveInfinity, 0.0)]
    [InlineData(double.NegativeInfinity, 2.0)]
    public void Erfc_MatchesHighPrecisionValues(double x, double expected)
    {
        Approx.Equal(expected, SpecialFunctions.Erfc(x), relative: 1e-14);
    }

    [Fact]
    public void Erf_IsOddAndPropagatesNaN()
    {
        for (double x = -6; x <= 6; x += 0.37)
        {
            Assert.Equal(-SpecialFunctions.Erf(x), SpecialFunctions.Erf(-x));
        }

        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.Erfc(double.NaN)));
    }

    [Fact]
    public void ErfAndErfc_AreComplementary()
    {
        for (double x = -5; x <= 5; x += 0.113)
        {
            Approx.Equal(1.0, SpecialFunctions.Erf(x) + SpecialFunctions.Erfc(x), relative: 0, absolute: 4e-16);
        }
    }
}
