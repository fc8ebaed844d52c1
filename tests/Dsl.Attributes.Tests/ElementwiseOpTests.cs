using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class ElementwiseOpTests
{
    private static readonly Tensor X = new(new[] { -2.0, -0.5, 0.0, 0.5, 3.0 }, 5);

    [Fact]
    public void Relu_ClampsNegativesToZero()
    {
        Approx.Tensor(Relu(X), new[] { 5 }, new[] { 0.0, 0.0, 0.0, 0.5, 3.0 });
        Assert.True(double.IsNaN(Relu(Tensor.Scalar(double.NaN)).Item()));
    }

    [Fact]
    public void Tanh_MatchesMath()
    {
        Approx.Tensor(Tanh(X), new[] { 5 }, Array.ConvertAll(X.Data.ToArray(), Math.Tanh));
        Approx.Scalar(0.46211715726000974, Tanh(Tensor.Scalar(0.5)));
    }

    [Fact]
    public void Sigmoid_IsTheLogisticFunction()
    {
        // 1 / (1 + e^2), 1 / (1 + e^0.5), 1/2, ...
        Approx.Tensor(Sigmoid(X), new[] { 5 }, new[]
        {
            0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.9525741268224334,
        }, relative: 1e-15);
    }

    [Fact]
    public void Sigmoid_SaturatesWithoutNaN()
    {
        var r = Sigmoid(new Tensor(new[] { -1000.0, 1000.0 }, 2));
        Assert.Equal(0.0, r[0]);
        Assert.Equal(1.0, r[1]);
    }

    [Fact]
    public void Gelu_UsesTheExactErfForm()
    {
        // At x = √2·t, GELU(x) = 0.5·x·(1 + erf(t)), with erf(t) known for t = 0.5, 1, 2, -3.
        double[] t = { 0.5, 1.0, 2.0, -3.0 };
        double[] erf = { 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014 };
        var x = new Tensor(Array.ConvertAll(t, v => Math.Sqrt(2) * v), 4);

        // 1 + erf(-3) ≈ 2.2e-5 keeps only about 11 digits of the 16-digit erf(-3), so the expected
        // value of the last point is itself only good to about 3e-12; the others to rounding.
        double[] tolerance = { 1e-15, 1e-15, 1e-15, 1e-11 };
        var gelu = Gelu(x);
        Assert.Equal(new[] { 4 }, gelu.Shape);
        for (int i = 0; i < 4; i++)
        {
            Approx.Equal(0.5 * x[i] * (1 + erf[i]), gelu[i], relative: tolerance[i]);
        }
    }

    [Theory]
    [InlineData(-10.0, -7.619853024160526066e-23)]
    [InlineData(-5.0, -1.4332578593959695584e-6)]
    [InlineData(-3.0, -0.00404969409489028358)]
    [InlineData(-1.0, -0.15865525393145705141)]
    [InlineData(-0.5, -0.15426876936299344818)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.34573123063700655182)]
    [InlineData(1.0, 0.84134474606854294859)]
    [InlineData(2.0, 1.9544997361036415856)]
    [InlineData(3.0, 2.9959503059051097164)]
    [InlineData(5.0, 4.999998566742140604)]
    public void Gelu_MatchesHighPrecisionValues(double x, double expected)
    {
        // From mpmath; the negative tail stays accurate because GELU is computed through erfc.
        Approx.Scalar(expected, Gelu(Tensor.Scalar(x)), relative: 1e-14);
    }

    [Fact]
    public void Gelu_IsNotTheTanhApproximation()
    {
        // The tanh form gives 0.8411919906082768 at 1; the exact form 0.8413447460685429.
        double tanhForm = 0.5 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (1 + 0.044715)));
        double exact = Gelu(Tensor.Scalar(1.0)).Item();
        Assert.True(Math.Abs(exact - tanhForm) > 1e-4);
    }

    [Fact]
    public void Exp_MatchesMath()
    {
        Approx.Tensor(Exp(X), new[] { 5 }, new[] { Math.Exp(-2), Math.Exp(-0.5), 1.0, Math.Exp(0.5), Math.Exp(3) });
        Approx.Scalar(Math.E, Exp(Tensor.Scalar(1)));
    }

    [Fact]
    public void Log_IsTheNaturalLogarithm()
    {
        var r = Log(new Tensor(new[] { 1.0, Math.E, 10.0, 0.0, -1.0 }, 5));
        Approx.Equal(0.0, r[0]);
        Approx.Equal(1.0, r[1]);
        Approx.Equal(2.302585092994046, r[2]);
        Assert.Equal(double.NegativeInfinity, r[3]);
        Assert.True(double.IsNaN(r[4]));
    }

    [Fact]
    public void SqrtRsqrtAbs_MatchMath()
    {
        var positive = new Tensor(new[] { 0.25, 1.0, 2.0, 9.0 }, 4);
        Approx.Tensor(Sqrt(positive), new[] { 4 }, new[] { 0.5, 1.0, Math.Sqrt(2), 3.0 });
        Approx.Tensor(Rsqrt(positive), new[] { 4 }, new[] { 2.0, 1.0, 1 / Math.Sqrt(2), 1 / 3.0 });
        Assert.True(double.IsNaN(Sqrt(Tensor.Scalar(-1)).Item()));
        Approx.Tensor(Abs(X), new[] { 5 }, new[] { 2.0, 0.5, 0.0, 0.5, 3.0 });
    }

    [Fact]
    public void Pow_IsTorchPowForAnySignWithAnIntegerExponent()
    {
        Approx.Tensor(Pow(X, 3), new[] { 5 }, new[] { -8.0, -0.125, 0.0, 0.125, 27.0 });
        Approx.Tensor(Pow(X, 2), new[] { 5 }, new[] { 4.0, 0.25, 0.0, 0.25, 9.0 });
        Approx.Scalar(Math.Pow(3, 2.5), Pow(Tensor.Scalar(3), 2.5));
        Assert.True(double.IsNaN(Pow(Tensor.Scalar(-2), 2.5).Item()));
    }

    [Fact]
    public void MaximumMinimum_BroadcastAndPropagateNaN()
    {
        var other = new Tensor(new[] { 0.0, 0.0, 1.0, 0.0, 5.0 }, 5);
        Approx.Tensor(Maximum(X, other), new[] { 5 }, new[] { 0.0, 0.0, 1.0, 0.5, 5.0 });
        Approx.Tensor(Minimum(X, other), new[] { 5 }, new[] { -2.0, -0.5, 0.0, 0.0, 3.0 });
        Approx.Tensor(Maximum(X, Tensor.Scalar(0.25)), new[] { 5 }, new[] { 0.25, 0.25, 0.25, 0.5, 3.0 });
        Assert.True(double.IsNaN(Maximum(Tensor.Scalar(double.NaN), Tensor.Scalar(1)).Item()));
        Assert.True(double.IsNaN(Minimum(Tensor.Scalar(1), Tensor.Scalar(double.NaN)).Item()));
        Assert.Throws<ArgumentException>(() => Maximum(X, Tensor.Zeros(3)));
    }

    [Fact]
    public void Clamp_LimitsToTheBoundsAndKeepsNaN()
    {
        Approx.Tensor(Clamp(X, -1, 0.5), new[] { 5 }, new[] { -1.0, -0.5, 0.0, 0.5, 0.5 });
        Assert.True(double.IsNaN(Clamp(Tensor.Scalar(double.NaN), 0, 1).Item()));
        Assert.Throws<ArgumentException>(() => Clamp(X, 1, 0));
    }

    [Fact]
    public void ElementwiseOps_KeepTheShape()
    {
        var m = Tensor.Zeros(2, 3);
        foreach (Func<Tensor, Tensor> op in new Func<Tensor, Tensor>[] { Relu, Tanh, Sigmoid, Gelu, Exp, Log, Sqrt, Rsqrt, Abs })
        {
            Assert.Equal(new[] { 2, 3 }, op(m).Shape);
        }

        Assert.Equal(0, Gelu(Tensor.Scalar(1)).Rank);
    }
}
