using System;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>Small seeded data sets for Trainer tests: Gaussian blobs, one per class.</summary>
internal static class Blobs
{
    /// <summary><paramref name="count"/> examples of <paramref name="features"/> floats in <paramref name="classes"/> blobs, 2.5σ apart.</summary>
    public static ArrayDataset Make(int count, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = new float[count * features];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < features; j++)
                x[i * features + j] = (float)((j % classes == y[i] ? 1.25 : -1.25) + Gaussian(random));
        }

        return ArrayDataset.FromFeatures(x, features, y);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
