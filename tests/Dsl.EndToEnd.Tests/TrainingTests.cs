using System;
using System.Linq;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>Outcomes of training: separable data is fitted exactly, runs are reproducible, steps allocate nothing.</summary>
public class TrainingTests
{
    /// <summary>Two Gaussian blobs 4σ apart in 10 dimensions: linearly separable, so an MLP must reach 100%.</summary>
    private static (float[] X, int[] Y) SeparableSet(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count * 10];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = i % 2;
            for (int j = 0; j < 10; j++)
                x[i * 10 + j] = (float)((y[i] == 1 ? 1.3 : -1.3) + 0.5 * Gaussian(random));
        }
        return (x, y);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void ClassifierReachesFullTrainAccuracyOnASeparableSet()
    {
        var (x, y) = SeparableSet(200, seed: 4);
        var model = new Classifier(seed: 42);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 50);

        for (int epoch = 0; epoch < 60; epoch++)
            for (int start = 0; start < 200; start += 50)
                program.TrainStep(x.AsSpan(start * 10, 500), y.AsSpan(start, 50));

        for (int start = 0; start < 200; start += 50)
        {
            program.EvalStep(x.AsSpan(start * 10, 500), y.AsSpan(start, 50));
            Assert.Equal(1f, program.Metrics["val_acc"]);
        }
        Assert.True(program.Metrics["val_loss"] < 0.05f, $"val_loss {program.Metrics["val_loss"]}");
    }

    [Fact]
    public void TheSameSeedGivesTheSameParametersAndTheSameRun()
    {
        float[] Run()
        {
            var (x, y) = SeparableSet(64, seed: 1);
            var model = new Classifier(seed: 7);
            using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 64);
            return Enumerable.Range(0, 10).Select(_ => program.TrainStep(x, y)).Concat(model.Parameters.Buffer).ToArray();
        }
        Assert.Equal(Run(), Run());
        Assert.NotEqual(new Classifier(seed: 7).Parameters.Buffer, new Classifier(seed: 8).Parameters.Buffer);
    }

    [Fact]
    public void ATrainStepAllocatesNothing()
    {
        var (x, y) = SeparableSet(256, seed: 2);
        var model = new Classifier(seed: 3);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 256);
        var output = new float[256 * 2];
        for (int i = 0; i < 5; i++) // warm up: JIT, worker threads, packing buffers
        {
            program.TrainStep(x, y);
            program.EvalStep(x, y);
            program.Predict(x, output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            program.TrainStep(x, y);
            program.EvalStep(x, y);
            program.Predict(x, output);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
