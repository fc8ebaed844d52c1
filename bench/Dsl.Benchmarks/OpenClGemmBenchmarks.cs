using BenchmarkDotNet.Attributes;

namespace Dsl.Benchmarks;

/// <summary>
/// The OpenCL GEMM alone, on the default OpenCL device (on this machine PoCL on the two cores): one
/// call and a wait per operation, for the shapes of the models' train steps and two squares. The
/// kernel and its launch geometry are exactly what a compiled model runs: the device program calls
/// the device's library, <see cref="OpenClKernels.Gemm"/>, as this benchmark does.
/// </summary>
public class OpenClGemmBenchmarks
{
    private OpenClDevice _device = null!;
    private OpenClKernels _kernels = null!;
    private OpenClBuffer _a = null!, _b = null!, _c = null!;

    /// <summary>The product shape: NT is linear, NN linear_transpose, TN outer_batch_sum.</summary>
    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = Cases()[0];

    /// <summary>
    /// The seed model's tiny layer (its output layer over a batch of 10), the MNIST MLP's products at
    /// batch 128 (forward X·Wᵀ, input gradient G·W, weight gradient Gᵀ·X) and 512/1024 squares.
    /// </summary>
    public static GemmCase[] Cases() =>
    [
        new("seed", false, true, 10, 2, 16),
        new("fwd1", false, true, 128, 512, 784),
        new("fwd3", false, true, 128, 10, 256),
        new("dX2", false, false, 128, 512, 256),
        new("dW1", true, false, 512, 784, 128),
        new("dW3", true, false, 10, 256, 128),
        new("sq", false, false, 512, 512, 512),
        new("sq", false, false, 1024, 1024, 1024),
    ];

    /// <summary>Opens the device, builds its library and fills the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.OpenCL();
        _kernels = _device.Kernels;
        var (a, b, c) = Operands.For(Case);
        _a = _device.AllocateFloats(a.Length, "a");
        _b = _device.AllocateFloats(b.Length, "b");
        _c = _device.AllocateFloats(c.Length, "c");
        _a.Write(a);
        _b.Write(b);
    }

    /// <summary>Releases the buffers and the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _device.Dispose();
    }

    /// <summary>One product: call and wait for it.</summary>
    [Benchmark]
    public void Gemm()
    {
        _kernels.Gemm(Case.TransposeA, Case.TransposeB, Case.M, Case.N, Case.K, _a, _b, _c);
        _device.Finish();
    }
}
