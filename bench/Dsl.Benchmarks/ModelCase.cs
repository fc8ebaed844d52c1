using System;
using Dsl.Benchmarks.Models;
using QuickStart;

namespace Dsl.Benchmarks;

/// <summary>
/// One model workload of issue 7, compiled for the CPU with a fixed random batch: a train step
/// (forward, backward, Adam) or a batch-1 inference. The BenchmarkDotNet suite, the side-by-side
/// runner and the smoke test all run the work defined here, so they measure the same thing.
/// </summary>
public sealed class ModelCase : IDisposable
{
    /// <summary>
    /// The case names: the seed's 10-16-2 MLP at batch 100, 784-128-10 at 128, 784-1024-1024-10 at
    /// 256, 784-128-10 inference at batch 1, <see cref="FeedForwardLm"/> (GPT shapes without
    /// attention, dropout at three sites) at batch 16 of 64 tokens, and issue 7's 2-layer GPT
    /// (<see cref="Gpt2x128"/>) at batch 16 of 64 tokens; issue 19's <see cref="LeNet5"/> at batch 64
    /// and <see cref="ResidualStack"/> at batch 32.
    /// </summary>
    public static readonly string[] Names = ["seed/100", "mnist128/128", "mnist1024/256", "predict128/1", "ffnlm/16", "gpt2x128/16",
        "lenet5/64", "residual16/32", // issue 19's convolutional train steps (conv branch)
    ];

    /// <summary>
    /// The train steps the CPU-against-OpenCL suite runs (<see cref="DeviceTrainStepBenchmarks"/>):
    /// the seed's MLP, the digits MLP 64-128-10 and an MNIST-sized 784-512-256-10.
    /// </summary>
    public static readonly string[] DeviceNames = ["seed/100", "digits/64", "mnist/128"];

    private readonly IDisposable _program;
    private readonly Func<float> _run;

    private ModelCase(string name, int batch, IDisposable program, Func<float> run)
    {
        (Name, Batch, _program, _run) = (name, batch, program, run);
    }

    /// <summary>The case name, "model/batch".</summary>
    public string Name { get; }

    /// <summary>Examples per call.</summary>
    public int Batch { get; }

    /// <summary>Whether a call is a train step (else a forward pass, <c>Predict</c>).</summary>
    public bool IsTraining => !Name.StartsWith("predict", StringComparison.Ordinal);

    /// <summary>Compiles the named case's model with seed 1 and makes its batch (values in [-1, 1), uniform labels).</summary>
    /// <param name="name">One of <see cref="Names"/> or <see cref="DeviceNames"/>.</param>
    /// <param name="device">The device to compile for; the CPU when null.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/> or <see cref="DeviceNames"/>.</exception>
    public static ModelCase Create(string name, Device? device = null)
    {
        device ??= Device.Cpu;
        string[] parts = name.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], out int batch) || (Array.IndexOf(Names, name) < 0 && Array.IndexOf(DeviceNames, name) < 0))
            throw new ArgumentException($"Unknown model case '{name}'; expected one of {string.Join(", ", Names)}, {string.Join(", ", DeviceNames)}.", nameof(name));

        var random = new Random(1);
        float[] Inputs(int size)
        {
            var x = new float[batch * size];
            for (int i = 0; i < x.Length; i++)
                x[i] = (float)(random.NextDouble() * 2 - 1);
            return x;
        }
        int[] Labels(int classes, int count = -1)
        {
            var y = new int[count < 0 ? batch : count];
            for (int i = 0; i < y.Length; i++)
                y[i] = random.Next(classes);
            return y;
        }

        switch (parts[0])
        {
            case "seed":
            {
                var program = new Classifier(seed: 1).Compile(device, batch);
                float[] x = Inputs(10);
                int[] y = Labels(2);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "mnist128":
            {
                var program = new Mnist128(seed: 1).Compile(device, batch);
                float[] x = Inputs(784);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "digits":
            {
                var program = new DigitsMlp(seed: 1).Compile(device, batch);
                float[] x = Inputs(64);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "mnist":
            {
                var program = new MnistMlp(seed: 1).Compile(device, batch);
                float[] x = Inputs(784);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "mnist1024":
            {
                var program = new Mnist1024(seed: 1).Compile(device, batch);
                float[] x = Inputs(784);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "gpt2x128":
            {
                var program = new Gpt2x128(seed: 1).Compile(device, batch);
                int[] ids = Labels(Gpt2x128.Vocab, batch * Gpt2x128.Context);
                int[] next = Labels(Gpt2x128.Vocab, batch * Gpt2x128.Context);
                return new ModelCase(name, batch, program, () => program.TrainStep(ids, next));
            }
            case "ffnlm":
            {
                var program = new FeedForwardLm(seed: 1).Compile(device, batch);
                int[] ids = Labels(FeedForwardLm.Vocab, batch * FeedForwardLm.Context);
                int[] next = Labels(FeedForwardLm.Vocab, batch * FeedForwardLm.Context);
                return new ModelCase(name, batch, program, () => program.TrainStep(ids, next));
            }
            case "lenet5":
            {
                var program = new LeNet5(seed: 1).Compile(device, batch);
                float[] x = Inputs(28 * 28);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            case "residual16":
            {
                var program = new ResidualStack(seed: 1).Compile(device, batch);
                float[] x = Inputs(16 * 32 * 32);
                int[] y = Labels(10);
                return new ModelCase(name, batch, program, () => program.TrainStep(x, y));
            }
            default:
            {
                var program = new Mnist128(seed: 1).Compile(device, batch);
                float[] x = Inputs(784);
                float[] logits = new float[batch * 10];
                return new ModelCase(name, batch, program, () =>
                {
                    program.Predict(x, logits);
                    return logits[0];
                });
            }
        }
    }

    /// <summary>One call: a train step (returns the loss) or a forward pass (returns the first logit).</summary>
    public float Run() => _run();

    /// <inheritdoc/>
    public void Dispose() => _program.Dispose();
}
