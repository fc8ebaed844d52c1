using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class ReductionTests
{
    [Fact]
    public void Sum_AddsAllElementsToAScalar()
    {
        var m = new Tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.5 }, 2, 3);
        Approx.Scalar(21.5, Sum(m));
        Approx.Scalar(4.0, Sum(Tensor.Scalar(4.0)));
        Approx.Scalar(0.0, Sum(Tensor.Zeros(0)));
    }

    [Fact]
    public void Mean_AveragesAllElementsToAScalar()
    {
        var m = new Tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.5 }, 2, 3);
        Approx.Scalar(21.5 / 6, Mean(m));
        Approx.Scalar(-2.0, Mean(Tensor.Scalar(-2.0)));
        Assert.True(double.IsNaN(Mean(Tensor.Zeros(0)).Item()));
    }
}
