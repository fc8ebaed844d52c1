using BenchmarkDotNet.Attributes;

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
    private ModelCase _case = null!;
    private Device? _device;

    /// <summary>"model/batch", one of <see cref="ModelCase.DeviceNames"/>.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    /// <summary>The backend: "cpu" or "opencl".</summary>
    [Params("cpu", "opencl")]
    public string Backend { get; set; } = "";

    /// <summary>The cases this suite runs.</summary>
    public static string[] Cases => ModelCase.DeviceNames;

    /// <summary>Opens the device, compiles the model and makes a random batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Device device = Backend == "opencl" ? (_device = Device.OpenCL()) : Device.Cpu;
        _case = ModelCase.Create(Case, device);
    }

    /// <summary>Releases the program and the OpenCL device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _case.Dispose();
        _device?.Dispose();
    }

    /// <summary>One training step; returns the loss so it is not optimised away.</summary>
    [Benchmark]
    public float TrainStep() => _case.Run();
}
