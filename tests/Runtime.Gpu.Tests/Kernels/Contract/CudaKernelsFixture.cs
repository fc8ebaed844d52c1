using System;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// CUDA device 0 for every CUDA kernel-contract class, opened on first use (so a machine without
/// a GPU, where those classes are skipped, never opens it).
/// </summary>
public sealed class CudaKernelsFixture : IDisposable
{
    private readonly Lazy<IlgpuDevice> _device = new(() => Dsl.Device.Cuda());

    /// <summary>The device (opened on first use).</summary>
    public IlgpuDevice Device => _device.Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_device.IsValueCreated)
            _device.Value.Dispose();
    }
}
