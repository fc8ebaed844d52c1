using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class AccuracyTests
{
    [Fact]
    public void Accuracy_IsOneWhenTheArgmaxIsTheLabel()
    {
        var logits = new Tensor(new[] { 0.1, 2.0, -1.0 }, 3);
        Approx.Scalar(1.0, Accuracy(logits, 1));
        Approx.Scalar(0.0, Accuracy(logits, 0));
        Approx.Scalar(0.0, Accuracy(logits, 2));
    }

    [Fact]
    public void Accuracy_TiesGoToTheFirstMaximum()
    {
        var logits = new Tensor(new[] { 3.0, 1.0, 3.0 }, 3);
        Approx.Scalar(1.0, Accuracy(logits, 0));
        Approx.Scalar(0.0, Accuracy(logits, 2));
    }

    [Fact]
    public void Accuracy_ChecksLabelAndRank()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy(Tensor.Zeros(3), 3));
        Assert.Contains("3 classes", e.Message);
        Assert.Throws<ArgumentException>(() => Accuracy(Tensor.Zeros(1, 3), 0));
    }
}
