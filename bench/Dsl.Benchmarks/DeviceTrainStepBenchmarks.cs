using System;
using BenchmarkDotNet.Attributes;
using Dsl.Benchmarks.Models;
using QuickStart;

namespace Dsl.Benchmarks;

/// <summary>
/// One compiled training step of the same model on the CPU backend and on the OpenCL backend
/// (on this machine PoCL, OpenCL on the same two cores), so that a regression of either shows
/// as a change of the ratio. PoCL is not expected to win: an OpenCL step also uploads the
/// parameters and optimizer moments and reads them back, and PoCL's kernels are compiled from
/// portable OpenCL C rather than hand-tuned AVX-512.
/// </summary>
[MemoryDiagnoser]
public class DeviceTrainStepBenchmarks
{
    private Func<float> _step = null!;
    private IDisposable _program = null!;
    private Device? _device;

    /// <summary>"model/batch": the QuickStart classifier at the seed's batch of 100, and the digits MLP.</summary>
    [Params("quickstart/100", "digits/64", "mnist/128")]
    public string Case { get; set; } = "";

    /// <summary>The backend: "cpu" or "opencl".</summary>
    [Params("cpu", "opencl")]
    public string Backend { get; set; } = "";

    /// <summary>Opens the device, compiles the model and makes a random batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Device device = Backend == "opencl" ? (_device = Device.OpenCL()) : Device.Cpu;
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
                var program = new Classifier(seed: 1).Compile(device, batch);
                float[] x = Inputs(10); int[] y = Labels(2);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
            case "digits":
            {
                var program = new DigitsMlp(seed: 1).Compile(device, batch);
                float[] x = Inputs(64); int[] y = Labels(10);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
            default:
            {
                var program = new MnistMlp(seed: 1).Compile(device, batch);
                float[] x = Inputs(784); int[] y = Labels(10);
                (_program, _step) = (program, () => program.TrainStep(x, y));
                break;
            }
        }
    }

    /// <summary>Releases the program and the OpenCL device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _program.Dispose();
        _device?.Dispose();
    }

    /// <summary>One training step; returns the loss so it is not optimised away.</summary>
    [Benchmark]
    public float TrainStep() => _step();
}
