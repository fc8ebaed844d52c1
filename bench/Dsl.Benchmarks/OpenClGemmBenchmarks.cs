using System;
using System.Collections.Generic;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Dsl.Benchmarks.Models;

namespace Dsl.Benchmarks;

/// <summary>
/// The generated OpenCL GEMM alone, on the default OpenCL device (on this machine PoCL on the two
/// cores): one launch and a wait per operation, for the shapes of the models' train steps and two
/// squares. The kernel and its launch geometry are exactly what a compiled model runs: the
/// benchmark compiles <see cref="MnistMlp"/> for the device and calls its program's private
/// <c>Gemm</c> launcher on that program's <c>gemm_nt</c>/<c>gemm_nn</c>/<c>gemm_tn</c> kernels.
/// </summary>
public class OpenClGemmBenchmarks
{
    private delegate void Launch(OpenClKernel kernel, int m, int n, int k, OpenClBuffer a, int aOffset, OpenClBuffer b, int bOffset, OpenClBuffer c, int cOffset);

    private OpenClDevice _device = null!;
    private IDisposable _program = null!;
    private OpenClBuffer _a = null!, _b = null!, _c = null!;
    private OpenClKernel _kernel = null!;
    private Launch _launch = null!;

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

    /// <summary>Opens the device, compiles the model for its kernels and fills the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.OpenCL();
        var program = new MnistMlp(seed: 1).Compile(_device, maxBatch: 1);
        _program = program;
        Type type = program.GetType();
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        string field = Case.TransposeA ? "_gemmTn" : Case.TransposeB ? "_gemmNt" : "_gemmNn";
        _kernel = (OpenClKernel)type.GetField(field, Private)!.GetValue(program)!;
        _launch = type.GetMethod("Gemm", Private)!.CreateDelegate<Launch>(program);

        var (a, b, c) = Operands.For(Case);
        _a = _device.AllocateFloats(a.Length, "a");
        _b = _device.AllocateFloats(b.Length, "b");
        _c = _device.AllocateFloats(c.Length, "c");
        _a.Write(a);
        _b.Write(b);
    }

    /// <summary>Releases the buffers, the program and the device.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _program.Dispose();
        _device.Dispose();
    }

    /// <summary>One product: launch and wait for it.</summary>
    [Benchmark]
    public void Gemm()
    {
        _launch(_kernel, Case.M, Case.N, Case.K, _a, 0, _b, 0, _c, 0);
        _device.Finish();
    }
}
