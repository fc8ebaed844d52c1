using System;

namespace Dsl.Benchmarks;

/// <summary>Deterministic benchmark inputs.</summary>
internal static class Operands
{
    /// <summary>A, B (values in [-1, 1], fixed seed) and an output buffer for <paramref name="shape"/>.</summary>
    public static (float[] A, float[] B, float[] C) For(GemmCase shape)
    {
        var random = new Random(42);
        return (Fill(random, shape.M * shape.K), Fill(random, shape.K * shape.N), new float[shape.M * shape.N]);
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
