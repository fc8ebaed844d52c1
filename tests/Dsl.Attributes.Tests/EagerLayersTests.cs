using System;
using Xunit;

namespace Dsl.Attributes.Tests;

public class EagerLayersTests
{
    // W = [[1, 2, 3], [-1, 0, 0.5]], x = (1, -1, 2), b = (0.5, -2)
    private static readonly Tensor Weight = new(new[] { 1.0, 2.0, 3.0, -1.0, 0.0, 0.5 }, 2, 3);
    private static readonly Tensor Bias = new(new[] { 0.5, -2.0 }, 2);
    private static readonly Tensor X = new(new[] { 1.0, -1.0, 2.0 }, 3);

    [Fact]
    public void Dense_IsWeightTimesInputPlusBias()
    {
        // y0 = 1 - 2 + 6 + 0.5 = 5.5; y1 = -1 + 0 + 1 - 2 = -2
        Approx.Tensor(EagerLayers.Dense(X, Weight, Bias), new[] { 2 }, new[] { 5.5, -2.0 });
    }

    [Fact]
    public void Dense_WithoutBias()
    {
        Approx.Tensor(EagerLayers.Dense(X, Weight, null), new[] { 2 }, new[] { 5.0, 0.0 });
    }

    [Fact]
    public void Dense_MapsEachRowOfAMatrixLikeTorchLinear()
    {
        var rows = new Tensor(new[] { 1.0, -1.0, 2.0, 0.0, 1.0, 0.0 }, 2, 3);
        Approx.Tensor(EagerLayers.Dense(rows, Weight, Bias), new[] { 2, 2 }, new[] { 5.5, -2.0, 2.5, -2.0 });
    }

    [Fact]
    public void Dense_InputMismatchNamesTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            EagerLayers.Dense(Tensor.Zeros(9), Tensor.Zeros(16, 10), Tensor.Zeros(16)));
        Assert.StartsWith(
            "Dense: input Tensor[9] does not match weight Tensor[16, 10]; expected an input of 10 features.",
            e.Message);
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void Dense_BiasMismatchNamesTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => EagerLayers.Dense(X, Weight, Tensor.Zeros(3)));
        Assert.StartsWith(
            "Dense: bias Tensor[3] does not match weight Tensor[2, 3]; expected a bias of 2 values.",
            e.Message);
    }

    [Fact]
    public void Dense_RejectsAWeightThatIsNotAMatrixAndAScalarInput()
    {
        var e = Assert.Throws<ArgumentException>(() => EagerLayers.Dense(X, Tensor.Zeros(3), null));
        Assert.Contains("Tensor[3]", e.Message);
        Assert.Throws<ArgumentException>(() => EagerLayers.Dense(Tensor.Scalar(1), Weight, null));
    }
}
