using System;
using Xunit;

namespace Dsl.Attributes.Tests;

public class TensorOperatorTests
{
    private static readonly Tensor A = new(new[] { 1.0, 2.0, 3.0 }, 3);
    private static readonly Tensor B = new(new[] { 4.0, -5.0, 0.5 }, 3);

    [Fact]
    public void SameShape_IsElementWise()
    {
        Approx.Tensor(A + B, new[] { 3 }, new[] { 5.0, -3.0, 3.5 });
        Approx.Tensor(A - B, new[] { 3 }, new[] { -3.0, 7.0, 2.5 });
        Approx.Tensor(A * B, new[] { 3 }, new[] { 4.0, -10.0, 1.5 });
        Approx.Tensor(A / B, new[] { 3 }, new[] { 0.25, -0.4, 6.0 });
    }

    [Fact]
    public void SameShape_WorksForMatrices()
    {
        var m = new Tensor(new[] { 1.0, 2, 3, 4 }, 2, 2);
        Approx.Tensor(m * m, new[] { 2, 2 }, new[] { 1.0, 4, 9, 16 });   // Hadamard, not matmul
    }

    [Fact]
    public void ScalarTensor_BroadcastsOnEitherSide()
    {
        var two = Tensor.Scalar(2.0);
        Approx.Tensor(A * two, new[] { 3 }, new[] { 2.0, 4.0, 6.0 });
        Approx.Tensor(two - A, new[] { 3 }, new[] { 1.0, 0.0, -1.0 });
        Approx.Tensor(A / two, new[] { 3 }, new[] { 0.5, 1.0, 1.5 });
        Approx.Tensor(two / A, new[] { 3 }, new[] { 2.0, 1.0, 2.0 / 3.0 });
        Approx.Scalar(5.0, two + Tensor.Scalar(3.0));
    }

    [Fact]
    public void Doubles_CombineOnEitherSide()
    {
        // int and float literals convert implicitly: x * 2, 1 - x, loss / 4.
        Approx.Tensor(A * 2, new[] { 3 }, new[] { 2.0, 4.0, 6.0 });
        Approx.Tensor(2 * A, new[] { 3 }, new[] { 2.0, 4.0, 6.0 });
        Approx.Tensor(1 - A, new[] { 3 }, new[] { 0.0, -1.0, -2.0 });
        Approx.Tensor(A - 1, new[] { 3 }, new[] { 0.0, 1.0, 2.0 });
        Approx.Tensor(A + 0.5f, new[] { 3 }, new[] { 1.5, 2.5, 3.5 });
        Approx.Tensor(0.5 + A, new[] { 3 }, new[] { 1.5, 2.5, 3.5 });
        Approx.Tensor(A / 4, new[] { 3 }, new[] { 0.25, 0.5, 0.75 });
        Approx.Tensor(6 / A, new[] { 3 }, new[] { 6.0, 3.0, 2.0 });
        Approx.Scalar(0.25, Tensor.Scalar(1.0) / 4);
    }

    [Fact]
    public void UnaryMinus_NegatesEachElement()
    {
        Approx.Tensor(-A, new[] { 3 }, new[] { -1.0, -2.0, -3.0 });
    }

    [Fact]
    public void Operators_DoNotModifyTheirOperands()
    {
        var x = new Tensor(new[] { 1.0, 2.0 }, 2);
        _ = x + x;
        _ = -x;
        _ = x * 3;
        Assert.Equal(new[] { 1.0, 2.0 }, x.Data.ToArray());
    }

    [Fact]
    public void DivisionByZero_FollowsIeee()
    {
        var r = new Tensor(new[] { 1.0, -1.0, 0.0 }, 3) / 0;
        Assert.Equal(double.PositiveInfinity, r[0]);
        Assert.Equal(double.NegativeInfinity, r[1]);
        Assert.True(double.IsNaN(r[2]));
    }

    [Fact]
    public void ShapeMismatch_NamesBothShapes()
    {
        var four = Tensor.Zeros(4);
        var e = Assert.Throws<ArgumentException>(() => A + four);
        Assert.Equal("Cannot add Tensor[3] and Tensor[4]: shapes broadcast when, aligned from the last axis, each pair of dimensions is equal or one of them is 1.", e.Message);

        Assert.Equal(
            "Cannot subtract Tensor[3] and Tensor[4]: shapes broadcast when, aligned from the last axis, each pair of dimensions is equal or one of them is 1.",
            Assert.Throws<ArgumentException>(() => A - four).Message);
        Assert.Equal(
            "Cannot multiply Tensor[4] by Tensor[3]: shapes broadcast when, aligned from the last axis, each pair of dimensions is equal or one of them is 1.",
            Assert.Throws<ArgumentException>(() => four * A).Message);
        Assert.Equal(
            "Cannot divide Tensor[3] by Tensor[4]: shapes broadcast when, aligned from the last axis, each pair of dimensions is equal or one of them is 1.",
            Assert.Throws<ArgumentException>(() => A / four).Message);
    }

    [Fact]
    public void BroadcastingFollowsNumPysRule()
    {
        // A last axis of 1 repeats along the other's last axis; a trailing shape over its leading axes.
        var one = new Tensor(new[] { 2.0 }, 1);
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, (A * one).Data.ToArray());
        var matrix = Tensor.Zeros(2, 3);
        Assert.Equal(new[] { 2, 3 }, (matrix + A).Shape);

        // An axis of 1 anywhere repeats, on both sides at once: [3, 1] - [1, 4] is [3, 4] (as numpy.subtract).
        var column = new Tensor(new[] { 10.0, 20.0, 30.0 }, 3, 1);
        var row = new Tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, 1, 4);
        Tensor difference = column - row;
        Assert.Equal(new[] { 3, 4 }, difference.Shape);
        Assert.Equal(new[] { 9.0, 8, 7, 6, 19, 18, 17, 16, 29, 28, 27, 26 }, difference.Data.ToArray());

        // A middle axis of 1 against a rank-3 shape, and a missing leading axis: [2, 1, 2] * [3, 1] is [2, 3, 2].
        var cube = new Tensor(new[] { 1.0, 2, 3, 4 }, 2, 1, 2);
        var scale = new Tensor(new[] { 1.0, 10, 100 }, 3, 1);
        Assert.Equal(new[] { 1.0, 2, 10, 20, 100, 200, 3, 4, 30, 40, 300, 400 }, (cube * scale).Data.ToArray());
        Assert.Equal(new[] { 2, 3, 2 }, (scale * cube).Shape);

        // Pairs that differ with neither 1 are refused, naming both shapes in source order.
        var e = Assert.Throws<ArgumentException>(() => A * Tensor.Zeros(2));
        Assert.Contains("Tensor[3] by Tensor[2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => matrix + Tensor.Zeros(2, 2));
        Assert.Contains("Tensor[2, 3] and Tensor[2, 2]", e.Message);
    }

    [Fact]
    public void NullOperands_Throw()
    {
        Tensor missing = null!;
        Assert.Throws<ArgumentNullException>(() => A + missing);
        Assert.Throws<ArgumentNullException>(() => missing * 2);
        Assert.Throws<ArgumentNullException>(() => -missing);
    }
}
