using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class LossTests
{
    private static readonly Tensor Logits = new(new[] { 0.5, -1.25, 2.0, 0.0 }, 4);

    [Theory]
    [InlineData(0, 1.8344986126036626)]
    [InlineData(1, 3.5844986126036626)]
    [InlineData(2, 0.33449861260366262)]
    [InlineData(3, 2.3344986126036626)]
    public void CrossEntropy_IsLogSumExpMinusTheLabelsLogit(int label, double expected)
    {
        // expected = ln(e^0.5 + e^-1.25 + e^2 + e^0) - logits[label], from mpmath
        Approx.Scalar(expected, CrossEntropy(Logits, label), relative: 1e-15);
    }

    [Fact]
    public void CrossEntropy_EqualsMinusLogSoftmaxAtTheLabel()
    {
        Approx.Scalar(-LogSoftmax(Logits)[2], CrossEntropy(Logits, new Label(2)), relative: 1e-15);
    }

    [Fact]
    public void CrossEntropy_OfUniformLogitsIsLogOfClassCount()
    {
        Approx.Scalar(Math.Log(10), CrossEntropy(Tensor.Zeros(10), 7), relative: 1e-15);
    }

    [Fact]
    public void CrossEntropy_IsStableForLargeLogits()
    {
        var logits = new Tensor(new[] { 1000.0, 1001.0 }, 2);
        Approx.Scalar(1.3132616875182228, CrossEntropy(logits, 0), relative: 1e-15);
        Approx.Scalar(0.31326168751822283, CrossEntropy(logits, 1), relative: 1e-15);
    }

    [Fact]
    public void CrossEntropy_LabelOutOfRangeNamesLabelAndClassCount()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy(Logits, 4));
        Assert.Equal("label", e.ParamName);
        Assert.Contains("label 4", e.Message);
        Assert.Contains("4 classes", e.Message);
    }

    [Fact]
    public void CrossEntropy_NeedsRankOneLogits()
    {
        var e = Assert.Throws<ArgumentException>(() => CrossEntropy(Tensor.Zeros(2, 3), 0));
        Assert.Contains("Tensor[2, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => CrossEntropy(Tensor.Scalar(1), 0));
    }

    [Fact]
    public void Mse_IsTheMeanOfSquaredDifferences()
    {
        var prediction = new Tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, 4);
        var target = new Tensor(new[] { 1.5, 2.0, 1.0, 7.0 }, 4);
        // (0.25 + 0 + 4 + 9) / 4
        Approx.Scalar(13.25 / 4, Mse(prediction, target));
        Approx.Scalar(0.0, Mse(target, target));
        Approx.Scalar(0.25, Mse(Tensor.Scalar(1.0), Tensor.Scalar(1.5)));
    }

    [Fact]
    public void Mse_ShapeMismatchNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Mse(Tensor.Zeros(3), Tensor.Zeros(4)));
        Assert.Equal("Mse: prediction Tensor[3] and target Tensor[4] must have the same shape.", e.Message);
        // No scalar broadcasting for a loss: a target of [] against [3] is almost surely a bug.
        Assert.Throws<ArgumentException>(() => Mse(Tensor.Zeros(3), Tensor.Scalar(0)));
    }
}
