using System;
using Dsl.Benchmarks.Models;
using QuickStart;

namespace Dsl.Bench.Gpu;

/// <summary>
/// One model compiled for a device with a fixed random batch (seed 1, inputs uniform in [-1, 1),
/// labels and tokens uniform), whose train step is timed.
/// </summary>
internal sealed class TrainStepCase : IDisposable
{
    /// <summary>The cases, as the command line names them: QuickStart at its full batch of 100, the 784-1024-1024-10 MLP at 256, the Gpt sample's model at 64.</summary>
    public static readonly string[] Names = ["quickstart", "mlp1024", "gpt"];

    private readonly IDisposable _program;
    private readonly Func<float> _step;

    private TrainStepCase(string model, int batch, int tokensPerExample, IDisposable program, Func<float> step)
    {
        (Model, Batch, TokensPerExample, _program, _step) = (model, batch, tokensPerExample, program, step);
    }

    /// <summary>The model as the table names it.</summary>
    public string Model { get; }

    /// <summary>Examples per step.</summary>
    public int Batch { get; }

    /// <summary>Tokens per example (0 for a model that does not read tokens).</summary>
    public int TokensPerExample { get; }

    /// <summary>Compiles case <paramref name="name"/> for <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static TrainStepCase Create(string name, Device device)
    {
        var random = new Random(1);
        float[] Inputs(int count)
        {
            var x = new float[count];
            for (int i = 0; i < x.Length; i++)
                x[i] = (float)(random.NextDouble() * 2 - 1);
            return x;
        }
        int[] Labels(int classes, int count)
        {
            var y = new int[count];
            for (int i = 0; i < y.Length; i++)
                y[i] = random.Next(classes);
            return y;
        }

        switch (name)
        {
            case "quickstart":
            {
                const int Batch = 100;
                var program = new Classifier(seed: 1).Compile(device, Batch);
                float[] x = Inputs(Batch * 10);
                int[] y = Labels(2, Batch);
                return new TrainStepCase("QuickStart 10-16-2", Batch, 0, program, () => program.TrainStep(x, y));
            }
            case "mlp1024":
            {
                const int Batch = 256;
                var program = new Mnist1024(seed: 1).Compile(device, Batch);
                float[] x = Inputs(Batch * 784);
                int[] y = Labels(10, Batch);
                return new TrainStepCase("MLP 784-1024-1024-10", Batch, 0, program, () => program.TrainStep(x, y));
            }
            case "gpt":
            {
                const int Batch = 64;
                var program = new Gpt.Gpt(seed: 1).Compile(device, Batch);
                int[] ids = Labels(Gpt.Gpt.Vocab, Batch * Gpt.Gpt.Context);
                int[] next = Labels(Gpt.Gpt.Vocab, Batch * Gpt.Gpt.Context);
                return new TrainStepCase("Gpt sample 4x128", Batch, Gpt.Gpt.Context, program, () => program.TrainStep(ids, next));
            }
            default:
                throw new ArgumentException($"Unknown case '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    /// <summary>One train step; returns the loss, which the device reads back, so the step has finished.</summary>
    public float Step() => _step();

    /// <inheritdoc/>
    public void Dispose() => _program.Dispose();
}
