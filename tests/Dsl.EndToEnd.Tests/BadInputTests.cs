using System;
using System.Linq;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>Wrong spans, NaN and bad labels are reported with the tensor, shape or value, and change nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Classifier _model = new(seed: 5);
    private readonly Classifier.Program _program;

    public BadInputTests() => _program = _model.Compile(Device.Cpu, maxBatch: 8);

    public void Dispose() => _program.Dispose();

    [Fact]
    public void AnInputOfTheWrongLengthNamesTheExpectedShape()
    {
        var error = Assert.Throws<ArgumentException>(() => _program.TrainStep(new float[25], new int[2]));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("[B, 10]", error.Message);
        Assert.Contains("25", error.Message);
    }

    [Fact]
    public void ABatchLargerThanMaxBatchIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _program.Predict(new float[90], new float[18]));
        Assert.Contains("8", error.Message);
    }

    [Fact]
    public void LabelsOfTheWrongCountNameTheirShape()
    {
        var error = Assert.Throws<ArgumentException>(() => _program.TrainStep(new float[40], new int[3]));
        Assert.Equal("y", error.ParamName);
        Assert.Contains("[B]", error.Message);
    }

    [Fact]
    public void AnOutputSpanOfTheWrongLengthNamesItsShape()
    {
        var error = Assert.Throws<ArgumentException>(() => _program.Predict(new float[20], new float[3]));
        Assert.Contains("[B, 2]", error.Message);
    }

    [Fact]
    public void NaNInAnInputIsReportedAndNothingIsTrained()
    {
        float[] before = _model.Parameters.Buffer.ToArray();
        var x = new float[40];
        x[17] = float.NaN;
        var error = Assert.Throws<InvalidInputException>(() => _program.TrainStep(x, new int[4]));
        Assert.Contains("NaN", error.Message);
        Assert.Contains("example 1", error.Message);
        Assert.Equal(before, _model.Parameters.Buffer);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsReported()
    {
        float[] before = _model.Parameters.Buffer.ToArray();
        var error = Assert.ThrowsAny<ArgumentException>(() => _program.TrainStep(new float[20], new[] { 1, 2 }));
        Assert.Contains("2", error.Message);
        Assert.Equal(before, _model.Parameters.Buffer);
    }

    [Fact]
    public void AGradientSpanOfTheWrongLengthIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _program.ValueAndGrad(new float[10], new int[1], new float[5]));
        Assert.Contains(Classifier.ParameterCount.ToString(), error.Message);
    }

    [Fact]
    public void ADisposedProgramSaysSo()
    {
        _program.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _program.Predict(new float[10], new float[2]));
    }
}
