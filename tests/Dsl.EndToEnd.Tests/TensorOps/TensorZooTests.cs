using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.TensorOps;

/// <summary><see cref="TensorZoo"/> compiled for the CPU against its eager reference: every output, the loss, and every parameter's gradient against central differences.</summary>
public class TensorZooTests
{
    private const int In = 2 * 3 * 4, Out = 14 * 3;

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static Tensor Example(float[] values, int b, params int[] shape) =>
        Tensor.FromFloats(values.AsSpan(b * shape.Aggregate(1, (p, d) => p * d), shape.Aggregate(1, (p, d) => p * d)), shape);

    private static double EagerLoss(TensorZoo model, float[] x, float[] y, int batch) =>
        Enumerable.Range(0, batch).Average(b => model.TrainingStep(Example(x, b, 2, 3, 4), Example(y, b, 14, 3)).Item());

    [Fact]
    public void PredictMatchesEagerForward()
    {
        var model = new TensorZoo(seed: 1);
        using TensorZoo.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        float[] x = Random(4 * In, seed: 2);
        var output = new float[4 * Out];
        program.Predict(x, output);
        for (int b = 0; b < 4; b++)
        {
            double[] expected = model.Forward(Example(x, b, 2, 3, 4)).Data.ToArray();
            Assert.Equal(Out, expected.Length);
            for (int j = 0; j < Out; j++)
                Assert.True(Math.Abs(output[b * Out + j] - expected[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])),
                    $"example {b}, output {j}: compiled {output[b * Out + j]}, eager {expected[j]}");
        }
    }

    [Fact]
    public void EveryGradientMatchesCentralDifferencesOfTheEagerLoss()
    {
        var model = new TensorZoo(seed: 3);
        using TensorZoo.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 3;
        float[] x = Random(batch * In, seed: 4), y = Random(batch * Out, seed: 5);
        var gradient = new float[TensorZoo.ParameterCount];
        float loss = program.ValueAndGrad(x, y, gradient);
        double eager = EagerLoss(model, x, y, batch);
        Assert.True(Math.Abs(loss - eager) <= 1e-5 * Math.Max(1, eager), $"compiled loss {loss}, eager {eager}");

        Span<float> parameters = model.Parameters.Buffer;
        for (int i = 0; i < TensorZoo.ParameterCount; i++)
        {
            const float h = 1e-2f;
            float original = parameters[i];
            parameters[i] = original + h;
            double plus = EagerLoss(model, x, y, batch);
            parameters[i] = original - h;
            double minus = EagerLoss(model, x, y, batch);
            parameters[i] = original;
            double numeric = (plus - minus) / ((double)(original + h) - (original - h));
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-4 + 2e-3 * Math.Abs(numeric),
                $"parameter {i}: compiled gradient {gradient[i]}, central difference {numeric}");
        }
    }
}
