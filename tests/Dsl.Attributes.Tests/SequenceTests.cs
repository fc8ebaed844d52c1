using System;
using System.Linq;
using Xunit;

namespace Dsl.Attributes.Tests;

/// <summary>The eager reference of the sequence pieces: Tokens, Arange, Embedding, LayerNorm, and the per-position loss and accuracy.</summary>
public class SequenceTests
{
    [Fact]
    public void Tokens_CopyTheirIdsAndRejectNegativeOnesNamingThePosition()
    {
        int[] ids = { 3, 0, 7 };
        Tokens tokens = ids;
        ids[0] = 9;
        Assert.Equal(3, tokens.Length);
        Assert.Equal(new[] { 3, 0, 7 }, tokens.Ids.ToArray());
        Assert.Equal(new Tokens(3, 0, 7), tokens);
        Assert.Equal("Tokens[3](3, 0, 7)", tokens.ToString());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Tokens(1, -2));
        Assert.Contains("-2 at position 1", error.Message);
    }

    [Fact]
    public void Arange_IsThePositions()
    {
        Assert.Equal(new[] { 0, 1, 2, 3 }, Ops.Arange(4).Ids.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Arange(0));
    }

    [Fact]
    public void Embedding_ReadsTheRowOfEachId()
    {
        var table = new Tensor(new[] { 0.0, 1.0, 10.0, 11.0, 20.0, 21.0 }, 3, 2);
        Approx.Tensor(EagerLayers.Embedding(new Tokens(2, 0, 2), table), new[] { 3, 2 }, new[] { 20.0, 21.0, 0.0, 1.0, 20.0, 21.0 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EagerLayers.Embedding(new Tokens(1, 3), table));
        Assert.Contains("id 3 at position 1", error.Message);
        Assert.Contains("3 rows", error.Message);
    }

    [Fact]
    public void LayerNorm_NormalisesEachRowWithABiasedVarianceAndEpsilon()
    {
        // Row (1, 2, 3): mean 2, biased variance 2/3; row (5, 5, 5): variance 0, so only ε keeps it finite.
        var x = new Tensor(new[] { 1.0, 2.0, 3.0, 5.0, 5.0, 5.0 }, 2, 3);
        var weight = new Tensor(new[] { 1.0, 2.0, 1.0 }, 3);
        var bias = new Tensor(new[] { 0.0, 1.0, 0.0 }, 3);
        double s = 1 / Math.Sqrt(2.0 / 3 + 1e-5);
        Approx.Tensor(EagerLayers.LayerNorm(x, weight, bias), new[] { 2, 3 }, new[] { -s, 1.0, s, 0.0, 1.0, 0.0 });
        Assert.Throws<ArgumentException>(() => EagerLayers.LayerNorm(Tensor.Scalar(1), weight, bias));
    }

    [Fact]
    public void CrossEntropyAndAccuracyOverTokens_AreMeansOverThePositions()
    {
        var logits = new Tensor(new[] { 2.0, 0.0, -1.0, 0.5, 3.0, 0.0 }, 2, 3);
        var targets = new Tokens(0, 2);
        double expected = (Ops.CrossEntropy(new Tensor(new[] { 2.0, 0.0, -1.0 }, 3), 0).Item()
            + Ops.CrossEntropy(new Tensor(new[] { 0.5, 3.0, 0.0 }, 3), 2).Item()) / 2;
        Assert.Equal(expected, Ops.CrossEntropy(logits, targets).Item(), 12);
        Assert.Equal(0.5, Ops.Accuracy(logits, targets).Item());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.CrossEntropy(logits, new Tokens(0, 3)));
        Assert.Contains("target 3 at position 1", error.Message);
        Assert.Throws<ArgumentException>(() => Ops.CrossEntropy(logits, new Tokens(0, 1, 2)));
    }
}
