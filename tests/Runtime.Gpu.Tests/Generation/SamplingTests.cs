using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Generation;

/// <summary><see cref="Sampling"/>: top-k keeps exactly k, temperature 0 is the argmax, a seed fixes the draws, frequencies follow the softmax, bad arguments are named.</summary>
public class SamplingTests
{
    private static readonly float[] Logits = [0.5f, 2f, -1f, 2f, 1.5f, 0f, 3f, -2f];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void KeepTopKKeepsExactlyKOfTheLargestEvenWhenTheyTie(int k)
    {
        float[] logits = (float[])Logits.Clone();
        Sampling.KeepTopK(logits, k, new float[logits.Length]);
        int[] kept = Enumerable.Range(0, logits.Length).Where(i => logits[i] != float.NegativeInfinity).ToArray();
        Assert.Equal(k, kept.Length);
        // Sorted descending: 3 (6), 2 (1), 2 (3), 1.5 (4), ...; the tie at 2 goes to index 1 first.
        int[] expected = new[] { 6, 1, 3, 4, 0, 5, 2, 7 }.Take(k).Order().ToArray();
        Assert.Equal(expected, kept);
        foreach (int i in kept)
            Assert.Equal(Logits[i], logits[i]);
    }

    [Fact]
    public void ATinyTemperatureOrZeroIsTheArgMax()
    {
        var scratch = new float[2 * Logits.Length];
        var random = new Random(1);
        Assert.Equal(6, Sampling.Sample(Logits, 0f, 0, random, scratch));
        for (int draw = 0; draw < 200; draw++)
            Assert.Equal(6, Sampling.Sample(Logits, 1e-4f, 0, random, scratch));
    }

    [Fact]
    public void TheSameSeedDrawsTheSameTokens()
    {
        var scratch = new float[2 * Logits.Length];
        int[] Draw(int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 100).Select(_ => Sampling.Sample(Logits, 1f, 4, random, scratch)).ToArray();
        }

        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void DrawsFollowTheSoftmaxOfTheTopKAtTheTemperature()
    {
        const int draws = 40_000, k = 3;
        const float temperature = 2f;
        var counts = new int[Logits.Length];
        var random = new Random(3);
        var scratch = new float[2 * Logits.Length];
        for (int d = 0; d < draws; d++)
            counts[Sampling.Sample(Logits, temperature, k, random, scratch)]++;

        int[] kept = [6, 1, 3];
        double total = kept.Sum(i => Math.Exp(Logits[i] / temperature));
        for (int i = 0; i < Logits.Length; i++)
        {
            double p = kept.Contains(i) ? Math.Exp(Logits[i] / temperature) / total : 0;
            double observed = counts[i] / (double)draws;
            // Four standard deviations of a binomial proportion.
            Assert.True(Math.Abs(observed - p) <= 4 * Math.Sqrt(p * (1 - p) / draws) + 1e-12, $"token {i}: observed {observed:F4}, softmax {p:F4}");
        }
    }

    [Theory]
    [InlineData(-0.5f, 0, "temperature", "-0.5")]
    [InlineData(float.NaN, 0, "temperature", "NaN")]
    [InlineData(1f, -1, "topK", "-1")]
    [InlineData(1f, 9, "topK", "9")]
    public void BadArgumentsThrowNamingTheValue(float temperature, int topK, string parameter, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Sample(Logits, temperature, topK, new Random(0), new float[16]));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void KeepTopKRejectsKOutsideTheLogitsAndNaN()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.KeepTopK(new float[4], 0, new float[4]));
        Assert.Contains("0", e.Message);
        var nan = Assert.Throws<ArgumentException>(() => Sampling.Sample([1f, float.NaN], 1f, 0, new Random(0), new float[4]));
        Assert.Contains("Logit 1 is NaN", nan.Message);
        Assert.Throws<ArgumentException>(() => Sampling.Sample(Logits, 1f, 0, new Random(0), new float[4]));
    }
}
