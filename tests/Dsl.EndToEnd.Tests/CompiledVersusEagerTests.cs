using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>
/// The compiled float32 program against the eager double-precision reference (the user's own
/// methods), and its gradients against central finite differences of that reference.
/// </summary>
public class CompiledVersusEagerTests
{
    public static IEnumerable<object[]> Models => ModelCase.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Models))]
    public void PredictMatchesEagerForward(string name)
    {
        using ModelCase model = ModelCase.Create(name);
        Batch batch = model.RandomBatch(37, seed: 11);
        var output = new float[batch.Size * model.OutputSize];
        model.Predict(batch.X, output);
        for (int b = 0; b < batch.Size; b++)
        {
            double[] expected = model.EagerForward(batch.X.AsSpan(b * model.InputSize, model.InputSize).ToArray());
            for (int j = 0; j < model.OutputSize; j++)
                Assert.True(Math.Abs(output[b * model.OutputSize + j] - expected[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])),
                    $"{name} example {b} output {j}: compiled {output[b * model.OutputSize + j]}, eager {expected[j]}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ValueAndGradMatchesEagerLossAndFiniteDifferences(string name)
    {
        using ModelCase model = ModelCase.Create(name);
        Batch batch = model.RandomBatch(8, seed: 5);
        var gradient = new float[model.Parameters.Count];

        float loss = model.ValueAndGrad(batch, gradient);
        double eagerLoss = model.EagerBatchLoss(batch);
        Assert.True(Math.Abs(loss - eagerLoss) <= 1e-5 * Math.Max(1, Math.Abs(eagerLoss)), $"{name}: compiled loss {loss}, eager {eagerLoss}");

        // Central differences of the eager batch loss, one parameter at a time.
        Span<float> parameters = model.Parameters.Buffer;
        var numeric = new double[parameters.Length];
        const float h = 1e-3f;
        for (int i = 0; i < parameters.Length; i++)
        {
            float original = parameters[i];
            parameters[i] = original + h;
            double plus = model.EagerBatchLoss(batch);
            parameters[i] = original - h;
            double minus = model.EagerBatchLoss(batch);
            parameters[i] = original;
            numeric[i] = (plus - minus) / ((double)(original + h) - (original - h));
        }

        double difference = Math.Sqrt(numeric.Select((n, i) => (n - gradient[i]) * (n - gradient[i])).Sum());
        double norm = Math.Sqrt(numeric.Sum(n => n * n));
        Assert.True(norm > 1e-4, $"{name}: the gradient is too small to test ({norm})");
        Assert.True(difference / norm < 1e-3, $"{name}: relative gradient error {difference / norm:E2} (|g| = {norm:E3})");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainingLowersTheLossAndKeepsEagerAndCompiledInAgreement(string name)
    {
        using ModelCase model = ModelCase.Create(name);
        Batch batch = model.RandomBatch(32, seed: 9);
        float first = model.TrainStep(batch);
        float last = first;
        for (int step = 0; step < 60; step++)
            last = model.TrainStep(batch);
        Assert.True(last < first, $"{name}: loss went from {first} to {last}");

        // The program trains the model's own parameters, so the eager reference sees the update.
        var gradient = new float[model.Parameters.Count];
        float compiled = model.ValueAndGrad(batch, gradient);
        Assert.Equal(model.EagerBatchLoss(batch), compiled, 4);
    }
}
