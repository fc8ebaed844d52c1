using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Parameters;

public sealed class ParameterStoreTests
{
    private static readonly ParameterSpec[] Mlp =
    [
        new("hidden.weight", [16, 10], 10),
        new("hidden.bias", [16], 10),
        new("output.weight", [2, 16], 16),
        new("output.bias", [2], 16),
    ];

    [Fact]
    public void LaysParametersOutBackToBackInOneBuffer()
    {
        var store = new ParameterStore(Mlp, seed: 42);
        Assert.Equal(160 + 16 + 32 + 2, store.Count);
        Assert.Same(store.Buffer, store.Buffer);
        Assert.Equal(store.Count, store.Buffer.Length);
        Assert.Equal(new ParameterInfo("hidden.bias", [16], 160, 16).Offset, store.Info("hidden.bias").Offset);
        Assert.Equal([176, 208], new[] { store.Info("output.weight").Offset, store.Info("output.bias").Offset });
        Assert.Equal(new[] { 2, 16 }, store.Parameters[2].Shape);
        Assert.Equal(32, store.Parameters[2].Length);
    }

    [Fact]
    public void BuffersFollowTheParametersAndTheTrainableCountStopsBeforeThem()
    {
        ParameterSpec[] specs =
        [
            new("norm.weight", [3], 1) { Init = ParameterInit.Ones },
            new("norm.bias", [3], 1) { Init = ParameterInit.Zeros },
            new("norm.running_mean", [3], 1) { Init = ParameterInit.Zeros, Role = ParameterRole.Buffer },
            new("norm.running_var", [3], 1) { Init = ParameterInit.Ones, Role = ParameterRole.Buffer },
            new("norm.num_batches_tracked", [], 1) { Init = ParameterInit.Zeros, Role = ParameterRole.CountBuffer },
        ];
        var store = new ParameterStore(specs, seed: 3);
        Assert.Equal(13, store.Count);
        Assert.Equal(6, store.TrainableCount);
        Assert.Equal([true, true, false, false, false], store.Parameters.Select(p => p.IsTrainable));
        Assert.Equal(1, store.Info("norm.num_batches_tracked").Length);

        // A trainable parameter after a buffer would split the optimizer's prefix.
        var error = Assert.Throws<ArgumentException>(() => new ParameterStore([specs[2], specs[0]], seed: 3));
        Assert.Contains("'norm.weight' follows a buffer", error.Message);
    }

    [Fact]
    public void InitialisesWithinPyTorchsLinearBounds()
    {
        var store = new ParameterStore(Mlp, seed: 1);
        foreach (ParameterInfo info in store.Parameters)
        {
            float bound = 1f / MathF.Sqrt(info.Name.StartsWith("hidden", StringComparison.Ordinal) ? 10 : 16);
            foreach (float value in store[info.Name])
                Assert.InRange(value, -bound, bound);
        }
    }

    [Fact]
    public void UniformInitialisationHasTheMomentsOfItsInterval()
    {
        var store = new ParameterStore([new ParameterSpec("w", [500, 400], 400)], seed: 9);
        double bound = 1 / Math.Sqrt(400), mean = 0, variance = 0;
        foreach (float v in store.Buffer)
            mean += v;
        mean /= store.Count;
        foreach (float v in store.Buffer)
            variance += (v - mean) * (v - mean);
        variance /= store.Count;
        Assert.InRange(mean, -bound * 0.01, bound * 0.01);
        Assert.InRange(variance, bound * bound / 3 * 0.98, bound * bound / 3 * 1.02);
    }

    [Fact]
    public void IsDeterministicPerSeedAndDistinctAcrossSeeds()
    {
        float[] first = new ParameterStore(Mlp, 42).Buffer, again = new ParameterStore(Mlp, 42).Buffer;
        float[] other = new ParameterStore(Mlp, 43).Buffer, negative = new ParameterStore(Mlp, -42).Buffer;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, negative);
    }

    [Fact]
    public void AParametersValuesDependOnlyOnSeedIndexAndElement()
    {
        // Changing the size of parameter 0 moves parameter 1 in the buffer but not its values.
        var small = new ParameterStore([new ParameterSpec("a", [3], 3), new ParameterSpec("b", [5], 4)], 7);
        var large = new ParameterStore([new ParameterSpec("a", [300], 3), new ParameterSpec("b", [5], 4)], 7);
        Assert.Equal(small["b"].ToArray(), large["b"].ToArray());
        Assert.Equal(-0.5f + 1f * Philox.Uniform(7, 1, 2), small["b"][2]);
    }

    [Fact]
    public void SupportsZerosOnesAndNormalInitialisation()
    {
        var store = new ParameterStore(
            [
                new ParameterSpec("norm.weight", [8], 0) { Init = ParameterInit.Ones },
                new ParameterSpec("norm.bias", [8], 0) { Init = ParameterInit.Zeros },
                new ParameterSpec("embedding.weight", [100, 100], 0) { Init = ParameterInit.Normal },
            ],
            seed: 3);
        Assert.All(store["norm.weight"].ToArray(), v => Assert.Equal(1f, v));
        Assert.All(store["norm.bias"].ToArray(), v => Assert.Equal(0f, v));
        double sumSquares = 0;
        foreach (float v in store["embedding.weight"])
            sumSquares += v * (double)v;
        Assert.InRange(sumSquares / 10_000, 0.95, 1.05);
    }

    [Fact]
    public void ViewsWriteThroughToTheBuffer()
    {
        var store = new ParameterStore(Mlp, 0);
        store["output.bias"][1] = 123f;
        Assert.Equal(123f, store.Buffer[209]);
    }

    [Fact]
    public void UnknownNamesListTheAvailableOnes()
    {
        var store = new ParameterStore(Mlp, 0);
        var error = Assert.Throws<KeyNotFoundException>(() => store["hidden.weights"].Length.ToString());
        Assert.Contains("'hidden.weights'", error.Message);
        Assert.Contains("hidden.weight, hidden.bias, output.weight, output.bias", error.Message);
        Assert.Throws<KeyNotFoundException>(() => store.Info("nope"));
    }

    [Fact]
    public void CopiesInAndOutWithLengthChecks()
    {
        var store = new ParameterStore(Mlp, 0);
        var values = new float[store.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = i;
        store.CopyFrom(values);
        var copy = new float[store.Count];
        store.CopyTo(copy);
        Assert.Equal(values, copy);

        var error = Assert.Throws<ArgumentException>(() => store.CopyFrom(new float[3]));
        Assert.Contains("210", error.Message);
        Assert.Contains("3", error.Message);
        error = Assert.Throws<ArgumentException>(() => store.CopyTo(new float[211]));
        Assert.Contains("211", error.Message);
    }

    [Fact]
    public void ToTensorCopiesTheValuesWithTheShape()
    {
        var store = new ParameterStore(Mlp, 5);
        Tensor tensor = store.ToTensor("output.weight");
        Assert.Equal(new[] { 2, 16 }, tensor.Shape);
        for (int i = 0; i < 32; i++)
            Assert.Equal(store["output.weight"][i], tensor[i]);
        store["output.weight"][0] = 99f;
        Assert.NotEqual(99.0, tensor[0]);
    }

    [Fact]
    public void RejectsInvalidSpecs()
    {
        Assert.Throws<ArgumentException>(() => new ParameterStore([new ParameterSpec("a", [2], 1), new ParameterSpec("a", [2], 1)], 0));
        Assert.Contains("every dimension must be positive", Assert.Throws<ArgumentException>(() => new ParameterStore([new ParameterSpec("a", [2, 0], 1)], 0)).Message);
        Assert.Contains("fan-in 0", Assert.Throws<ArgumentException>(() => new ParameterStore([new ParameterSpec("a", [2], 0)], 0)).Message);
    }
}
