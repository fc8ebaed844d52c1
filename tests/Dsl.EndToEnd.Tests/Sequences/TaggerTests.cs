using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary><see cref="Tagger"/>: float sequences [8, 6] with Tokens targets, compiled against its eager reference.</summary>
public class TaggerTests
{
    private const int Size = Tagger.Length * Tagger.Features;

    [Fact]
    public void PredictLossAndGradientMatchTheEagerReference()
    {
        var model = new Tagger(seed: 2);
        using Tagger.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        const int batch = 5;
        var random = new Random(3);
        float[] x = Enumerable.Range(0, batch * Size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int[] tags = Enumerable.Range(0, batch * Tagger.Length).Select(_ => random.Next(Tagger.Tags)).ToArray();
        Tensor Example(int b) => Tensor.FromFloats(x.AsSpan(b * Size, Size), Tagger.Length, Tagger.Features);
        Tokens Tags(int b) => new(tags.AsSpan(b * Tagger.Length, Tagger.Length).ToArray());
        double EagerLoss() => Enumerable.Range(0, batch).Average(b => model.TrainingStep(Example(b), Tags(b)).Item());

        var output = new float[batch * Tagger.Length * Tagger.Tags];
        program.Predict(x, output);
        for (int b = 0; b < batch; b++)
        {
            double[] expected = model.Forward(Example(b)).Data.ToArray();
            for (int j = 0; j < expected.Length; j++)
                Assert.True(Math.Abs(output[b * expected.Length + j] - expected[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])), $"example {b} output {j}");
        }

        var gradient = new float[Tagger.ParameterCount];
        float loss = program.ValueAndGrad(x, tags, gradient);
        Assert.True(Math.Abs(loss - EagerLoss()) <= 1e-5 * Math.Max(1, loss), $"compiled loss {loss}, eager {EagerLoss()}");

        Span<float> parameters = model.Parameters.Buffer;
        var numeric = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            const float h = 1e-3f;
            float original = parameters[i];
            parameters[i] = original + h;
            double plus = EagerLoss();
            parameters[i] = original - h;
            double minus = EagerLoss();
            parameters[i] = original;
            numeric[i] = (plus - minus) / ((double)(original + h) - (original - h));
        }
        double difference = Math.Sqrt(numeric.Select((n, i) => (n - gradient[i]) * (n - gradient[i])).Sum());
        double norm = Math.Sqrt(numeric.Sum(n => n * n));
        Assert.True(norm > 1e-3 && difference / norm < 1e-3, $"relative gradient error {difference / norm:E2} (|g| = {norm:E3})");
    }
}
