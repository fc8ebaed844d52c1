using System;
using BenchmarkDotNet.Attributes;
using Dsl.Benchmarks.Models;
using Dsl.Kernels;
using QuickStart;

namespace Dsl.Benchmarks;

/// <summary>
/// One whole compiled training step (forward, backward, Adam update) of three MLPs on the CPU.
/// bench/torch/train_step.py times the same steps in PyTorch, and bench/compare_train_step.py
/// prints the two side by side.
/// </summary>
public class TrainStepBenchmarks
{
    private Func<float> _step = null!;
    private IDisposable _program = null!;

    /// <summary>"model/batch": the QuickStart classifier at the seed's full batch of 100, the digits MLP, an MNIST-sized MLP.</summary>
    [Params("quickstart/100", "digits/64", "digits/256", "mnist/128")]
    public string Case { get; set; } = "";

    /// <summary>Threads: 1, or every core the machine reports.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>One thread and all of them.</summary>
    public static int[] ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>Compiles the model and makes a random batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxConcurrency = Threads;
        string[] parts = Case.Split('/');
        int batch = int.Parse(parts[1]);
        var random = new Random(1);
        float[] Inputs(int size)
        {
            var x = new float[batch * size];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
            return x;
        }
        int[] Labels(int classes)
        {
            var y = new int[batch];
            for (int i = 0; i < y.Length; i++) y[i] = random.Next(classes);
            return y;
        }

        switch (parts[0])
        {
            case "quickstart":
            {
                var program = new Classifier(seed: 1).Compile(Device.Cpu, batch);
                float[] x = Inputs(10); int[] y = Labels(2);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
            case "digits":
            {
                var program = new DigitsMlp(seed: 1).Compile(Device.Cpu, batch);
                float[] x = Inputs(64); int[] y = Labels(10);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
            default:
            {
                var program = new MnistMlp(seed: 1).Compile(Device.Cpu, batch);
                float[] x = Inputs(784); int[] y = Labels(10);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
        }
    }

    /// <summary>Releases the program and restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _program.Dispose();
        CpuParallel.MaxConcurrency = Environment.ProcessorCount;
    }

    /// <summary>One training step; returns the loss so it is not optimised away.</summary>
    [Benchmark]
    public float TrainStep() => _step();
}
