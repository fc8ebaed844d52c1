using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class SoftmaxTests
{
    [Fact]
    public void Softmax_OfOneTwoThree()
    {
        double sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        var expected = new[] { Math.Exp(1) / sum, Math.Exp(2) / sum, Math.Exp(3) / sum };
        var p = Softmax(new Tensor(new[] { 1.0, 2.0, 3.0 }, 3));

        Approx.Tensor(p, new[] { 3 }, expected, relative: 1e-15);
        // and against mpmath
        Approx.Tensor(p, new[] { 3 }, new[] { 0.090030573170380458, 0.24472847105479765, 0.66524095577482189 }, relative: 1e-15);
    }

    [Fact]
    public void Softmax_IsStableForLargeInputs()
    {
        // exp(1000) overflows; subtracting the maximum gives softmax(0, 1).
        var p = Softmax(new Tensor(new[] { 1000.0, 1001.0 }, 2));
        Approx.Tensor(p, new[] { 2 }, new[] { 0.26894142136999512, 0.73105857863000488 }, relative: 1e-15);
    }

    [Fact]
    public void Softmax_IsInvariantToAShift()
    {
        var x = new Tensor(new[] { -0.3, 2.2, 0.7, 0.0 }, 4);
        var p = Softmax(x);
        var q = Softmax(x + 50);
        Approx.Tensor(q, new[] { 4 }, p.Data.ToArray(), relative: 1e-14);
        Approx.Equal(1.0, Sum(p).Item(), relative: 1e-15);
    }

    [Fact]
    public void Softmax_NormalisesEachRowOfAMatrix()
    {
        var x = new Tensor(new[] { 1.0, 2.0, 3.0, 0.0, 0.0, 0.0 }, 2, 3);
        var p = Softmax(x);
        Assert.Equal(new[] { 2, 3 }, p.Shape);
        Approx.Equal(0.66524095577482189, p[2]);
        Approx.Equal(1.0 / 3.0, p[4]);
    }

    [Fact]
    public void Softmax_RejectsAScalar()
    {
        var e = Assert.Throws<ArgumentException>(() => Softmax(Tensor.Scalar(1)));
        Assert.Contains("Softmax", e.Message);
        Assert.Contains("Tensor[]", e.Message);
        Assert.Throws<ArgumentException>(() => LogSoftmax(Tensor.Scalar(1)));
    }

    [Fact]
    public void LogSoftmax_OfOneTwoThree()
    {
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        var r = LogSoftmax(new Tensor(new[] { 1.0, 2.0, 3.0 }, 3));
        Approx.Tensor(r, new[] { 3 }, new[] { 1 - lse, 2 - lse, 3 - lse }, relative: 1e-15);
        Approx.Tensor(r, new[] { 3 }, new[] { -2.4076059644443803, -1.4076059644443803, -0.40760596444438030 }, relative: 1e-15);
    }

    [Fact]
    public void LogSoftmax_IsStableForLargeInputs()
    {
        var r = LogSoftmax(new Tensor(new[] { 1000.0, 1001.0 }, 2));
        Approx.Tensor(r, new[] { 2 }, new[] { -1.3132616875182228, -0.31326168751822283 }, relative: 1e-15);
    }

    [Fact]
    public void LogSoftmax_StaysFiniteWhereSoftmaxUnderflows()
    {
        // softmax(-1000, 0)[0] underflows to 0, so Log(Softmax(x)) would be -∞; LogSoftmax is exact.
        var x = new Tensor(new[] { -1000.0, 0.0 }, 2);
        Assert.Equal(0.0, Softmax(x)[0]);
        var r = LogSoftmax(x);
        Approx.Equal(-1000.0, r[0]);
        Approx.Equal(0.0, r[1], absolute: 1e-300);
    }

    [Fact]
    public void LogSoftmax_MatchesLogOfSoftmax()
    {
        var x = new Tensor(new[] { 0.5, -1.25, 2.0, 0.0 }, 4);
        Approx.Tensor(LogSoftmax(x), new[] { 4 }, Log(Softmax(x)).Data.ToArray(), relative: 1e-14);
    }
}
