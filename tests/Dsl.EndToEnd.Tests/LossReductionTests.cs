using System;
using System.Linq;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>Per-example losses, and the choice between a batch mean and a batch sum.</summary>
public class LossReductionTests
{
    private static (float[] X, int[] Y) Batch()
    {
        var random = new Random(3);
        return (Enumerable.Range(0, 60).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
                Enumerable.Range(0, 6).Select(_ => random.Next(2)).ToArray());
    }

    [Fact]
    public void ExampleLossesAreTheEagerLossOfEachExample()
    {
        var (x, y) = Batch();
        var model = new Classifier(seed: 4);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        var gradient = new float[Classifier.ParameterCount];
        float mean = program.ValueAndGrad(x, y, gradient);

        float[] losses = program.ExampleLosses.ToArray();
        Assert.Equal(6, losses.Length);
        for (int b = 0; b < 6; b++)
            Assert.Equal(model.TrainingStep(Tensor.FromFloats(x.AsSpan(b * 10, 10), 10), y[b]).Item(), losses[b], 5);
        Assert.Equal(losses.Average(), mean, 5);
    }

    [Fact]
    public void ASumReductionGivesTheSumAndBTimesTheMeanGradient()
    {
        var (x, y) = Batch();
        var model = new Classifier(seed: 4);
        using Classifier.Program mean = model.Compile(Device.Cpu, maxBatch: 8);
        using Classifier.Program sum = model.Compile(Device.Cpu, maxBatch: 8, LossReduction.Sum);
        var meanGradient = new float[Classifier.ParameterCount];
        var sumGradient = new float[Classifier.ParameterCount];

        float meanLoss = mean.ValueAndGrad(x, y, meanGradient);
        float sumLoss = sum.ValueAndGrad(x, y, sumGradient);

        Assert.Equal(LossReduction.Sum, sum.LossReduction);
        Assert.Equal(meanLoss * 6, sumLoss, 4);
        for (int i = 0; i < meanGradient.Length; i++)
            Assert.Equal(meanGradient[i] * 6, sumGradient[i], 4);
        Assert.Contains(meanGradient, g => g != 0);
    }
}
