using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class SimdMathTests
{
    private const double Ulp = 1.0 / (1 << 23); // relative spacing of floats in [1, 2)

    /// <summary>A dense grid over [-30, 30], tiny magnitudes down to subnormals, and random points.</summary>
    private static readonly float[] Grid = MakeGrid();

    public static TheoryData<string> Functions => new() { "Tanh", "Sigmoid", "Erf", "Gelu", "GeluDerivative", "NormalCdf" };

    [Theory]
    [MemberData(nameof(Functions))]
    public void FloatVersionsMatchTheDoubleReferenceOverTheGrid(string function)
    {
        var (v512, v256, scalar, reference, absolute, relativeUlps) = Cases(function);
        foreach (float x in Grid)
        {
            double expected = reference(x);
            double tolerance = absolute + relativeUlps * Ulp * Math.Abs(expected) + 1e-45;
            Check(function, "Vector512", x, expected, v512(Vector512.Create(x)).GetElement(7), tolerance);
            Check(function, "Vector256", x, expected, v256(Vector256.Create(x)).GetElement(3), tolerance);
            Check(function, "float", x, expected, scalar(x), tolerance);
        }
    }

    [Fact]
    public void LanesAreIndependent()
    {
        var x = Vector512.Create(-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f, 10f, -10f, 0.001f, -0.001f, 2f, -2f, 5f, -5f, 0.7f);
        Vector512<float> t = SimdMath.Tanh(x), g = SimdMath.Gelu(x);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(SimdMath.Tanh(x.GetElement(i)), t.GetElement(i), 6);
            Assert.Equal(SimdMath.Gelu(x.GetElement(i)), g.GetElement(i), 6);
        }
    }

    [Fact]
    public void SpecialValuesGiveTheLimits()
    {
        Assert.Equal(1f, SimdMath.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, SimdMath.Tanh(float.NegativeInfinity));
        Assert.Equal(-1f, SimdMath.Tanh(Vector512.Create(-1e30f)).GetElement(0));
        Assert.True(float.IsNegative(SimdMath.Tanh(-0f)) && SimdMath.Tanh(-0f) == 0f);
        Assert.True(float.IsNegative(SimdMath.Tanh(Vector256.Create(-0f)).GetElement(0)));
        Assert.Equal(1f, SimdMath.Sigmoid(Vector512.Create(float.PositiveInfinity)).GetElement(0));
        Assert.Equal(0f, SimdMath.Sigmoid(Vector512.Create(float.NegativeInfinity)).GetElement(0));
        Assert.Equal(1f, SimdMath.Erf(Vector512.Create(float.PositiveInfinity)).GetElement(0));
        Assert.Equal(-1f, SimdMath.Erf(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, SimdMath.Gelu(Vector512.Create(float.PositiveInfinity)).GetElement(0));
        Assert.Equal(0f, SimdMath.Gelu(Vector512.Create(float.NegativeInfinity)).GetElement(0));
        Assert.Equal(0f, SimdMath.Gelu(float.NegativeInfinity));
        Assert.Equal(1f, SimdMath.GeluDerivative(Vector256.Create(float.PositiveInfinity)).GetElement(0));
        Assert.Equal(0f, SimdMath.GeluDerivative(float.NegativeInfinity));
        Assert.Equal(0.5f, SimdMath.GeluDerivative(0f));
        foreach (Func<float, float> f in new Func<float, float>[] { SimdMath.Tanh, SimdMath.Sigmoid, SimdMath.Erf, SimdMath.Gelu, SimdMath.GeluDerivative })
            Assert.True(float.IsNaN(f(float.NaN)));
        Assert.True(float.IsNaN(SimdMath.Gelu(Vector512.Create(float.NaN)).GetElement(0)));
        Assert.True(float.IsNaN(SimdMath.Tanh(Vector512.Create(float.NaN)).GetElement(0)));
        Assert.True(float.IsNaN(SimdMath.Erf(Vector256.Create(float.NaN)).GetElement(0)));
        Assert.True(float.IsNaN(SimdMath.GeluDerivative(Vector512.Create(float.NaN)).GetElement(0)));
    }

    // erf and erfc to 20 digits, computed with mpmath at 50 digits.
    [Theory]
    [InlineData(1e-300, 1.1283791670955125739e-300, 1.0)]
    [InlineData(1e-10, 1.1283791670955125739e-10, 0.99999999988716208329)]
    [InlineData(0.001, 0.0011283787909692363799, 0.99887162120903076362)]
    [InlineData(0.1, 0.1124629160182848922, 0.8875370839817151078)]
    [InlineData(0.5, 0.52049987781304653768, 0.47950012218695346232)]
    [InlineData(0.9, 0.79690821242283212852, 0.20309178757716787148)]
    [InlineData(1.0, 0.84270079294971486934, 0.15729920705028513066)]
    [InlineData(1.5, 0.96610514647531072707, 0.033894853524689272933)]
    [InlineData(1.999, 0.99530155665137051003, 0.0046984433486294899663)]
    [InlineData(2.0, 0.99532226501895273416, 0.0046777349810472658379)]
    [InlineData(2.001, 0.99534289071852465197, 0.004657109281475348028)]
    [InlineData(2.5, 0.99959304798255504106, 0.00040695201744495893956)]
    [InlineData(3.0, 0.99997790950300141456, 0.000022090496998585441373)]
    [InlineData(4.0, 0.99999998458274209972, 1.5417257900280018852e-8)]
    [InlineData(5.0, 0.99999999999846254021, 1.5374597944280348502e-12)]
    [InlineData(6.0, 0.99999999999999997848, 2.1519736712498913117e-17)]
    [InlineData(8.0, 1.0, 1.122429717298292708e-29)]
    [InlineData(10.0, 1.0, 2.088487583762544757e-45)]
    [InlineData(15.0, 1.0, 7.2129941724512066666e-100)]
    [InlineData(26.0, 1.0, 5.6631924088561428465e-296)]
    public void DoubleErfAndErfcMatchHighPrecisionValues(double x, double erf, double erfc)
    {
        AssertRelative(erf, SimdMath.Erf(x), 2e-15);
        AssertRelative(-erf, SimdMath.Erf(-x), 2e-15);
        // erfc is computed as 1 - erf below 2, so there it is accurate relative to 1, not to itself.
        AssertRelative(erfc, SimdMath.Erfc(x), x < 2 ? 2e-15 / erfc : 1e-13);
        AssertRelative(2 - erfc, SimdMath.Erfc(-x), 2e-15);
    }

    [Fact]
    public void DoubleGeluAndItsDerivativeAreConsistent()
    {
        for (double x = -8; x <= 8; x += 0.0625)
        {
            // The textbook form cancels in the left tail, so compare it only where it is accurate.
            if (x > -3)
                AssertRelative(0.5 * x * (1 + SimdMath.Erf(x / Math.Sqrt(2))), SimdMath.Gelu(x), 1e-13, 1e-300);
            double h = 1e-5, numeric = (SimdMath.Gelu(x + h) - SimdMath.Gelu(x - h)) / (2 * h);
            Assert.Equal(numeric, SimdMath.GeluDerivative(x), 8);
        }

        // The left tail keeps relative accuracy: GELU(-20) = -20·Φ(-20) = -20·erfc(20/√2)/2.
        AssertRelative(-20 * 2.7536241186062336951e-89, SimdMath.Gelu(-20.0), 1e-12);
        Assert.Equal(-0.0, SimdMath.Gelu(double.NegativeInfinity));
        Assert.Equal(1.0, SimdMath.GeluDerivative(double.PositiveInfinity));
        Assert.Equal(Math.Tanh(0.3), SimdMath.Tanh(0.3));
        Assert.Equal(1 / (1 + Math.Exp(-0.3)), SimdMath.Sigmoid(0.3));
    }

    private static (Func<Vector512<float>, Vector512<float>>, Func<Vector256<float>, Vector256<float>>, Func<float, float>, Func<double, double>, double Absolute, double RelativeUlps) Cases(string function) =>
        function switch
        {
            "Tanh" => (SimdMath.Tanh, SimdMath.Tanh, SimdMath.Tanh, Math.Tanh, 0, 2),
            "Sigmoid" => (SimdMath.Sigmoid, SimdMath.Sigmoid, SimdMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)), 0, 3),
            "Erf" => (SimdMath.Erf, SimdMath.Erf, SimdMath.Erf, SimdMath.Erf, 1.5e-7, 3),
            "Gelu" => (SimdMath.Gelu, SimdMath.Gelu, SimdMath.Gelu, SimdMath.Gelu, 2e-7, 2),
            "GeluDerivative" => (SimdMath.GeluDerivative, SimdMath.GeluDerivative, SimdMath.GeluDerivative, SimdMath.GeluDerivative, 2e-7, 0),
            "NormalCdf" => (SimdMath.NormalCdf, SimdMath.NormalCdf, SimdMath.NormalCdf, x => 0.5 * SimdMath.Erfc(-x * Math.Sqrt(0.5)), 1e-7, 2),
            _ => throw new ArgumentException(function),
        };

    private static void Check(string function, string form, float x, double expected, float actual, double tolerance)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{function} ({form}) at {x:R}: expected {expected:R} but got {actual:R} (tolerance {tolerance:E2}).");
    }

    private static void AssertRelative(double expected, double actual, double relative, double absolute = 0)
    {
        if (!(Math.Abs(actual - expected) <= relative * Math.Abs(expected) + absolute))
            Assert.Fail($"Expected {expected:R} but got {actual:R}.");
    }

    private static float[] MakeGrid()
    {
        var values = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e30f, -1e30f };
        for (double x = -30; x <= 30; x += 1.0 / 512)
            values.Add((float)x);
        for (int e = -44; e <= 0; e++)
        {
            values.Add((float)Math.Pow(10, e));
            values.Add(-(float)Math.Pow(10, e));
            values.Add((float)(3 * Math.Pow(10, e)));
        }

        var random = new Random(1);
        for (int i = 0; i < 20_000; i++)
            values.Add((float)((random.NextDouble() * 2 - 1) * 8));
        return values.ToArray();
    }
}
