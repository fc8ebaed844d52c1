using System;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class InputGuardTests
{
    [Fact]
    public void CopiesFiniteValues()
    {
        float[] source = new float[1000], destination = new float[1001];
        for (int i = 0; i < source.Length; i++)
            source[i] = i * 0.5f - 100;
        InputGuard.CopyChecked(source, destination, "x", 10);
        Assert.Equal(source, destination[..1000]);
    }

    [Theory]
    [InlineData(37, float.NaN, "NaN at example 3, element 7")]
    [InlineData(999, float.PositiveInfinity, "+Infinity at example 99, element 9")]
    [InlineData(0, float.NegativeInfinity, "-Infinity at example 0, element 0")]
    [InlineData(530, float.NaN, "NaN at example 53, element 0")]
    public void NamesTheTensorExampleElementAndValue(int position, float value, string expected)
    {
        float[] source = new float[1000], destination = new float[1000];
        source[position] = value;
        source[^1] = float.NaN; // only the first bad value is reported
        if (position == 999)
            source[^1] = value;
        var error = Assert.Throws<InvalidInputException>(() => InputGuard.CopyChecked(source, destination, "x", 10));
        Assert.StartsWith($"Input 'x' has {expected}; inputs must be finite.", error.Message);
        Assert.Equal("x", error.ParamName);
        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ChecksLabelsAgainstTheClassCount()
    {
        int[] destination = new int[3];
        InputGuard.CopyLabels([0, 2, 1], destination, "y", 3);
        Assert.Equal(new[] { 0, 2, 1 }, destination);

        var error = Assert.Throws<InvalidInputException>(() => InputGuard.CopyLabels([0, 1, 3], new int[3], "y", 3));
        Assert.Contains("Input 'y' has label 3 at example 2; labels must lie in [0, 3).", error.Message);
        Assert.Equal("y", error.ParamName);
        Assert.Throws<InvalidInputException>(() => InputGuard.CopyLabels([-1], new int[1], "y", 3));
        Assert.Throws<ArgumentException>(() => InputGuard.CopyLabels([1, 1], new int[1], "y", 3));
    }
}
