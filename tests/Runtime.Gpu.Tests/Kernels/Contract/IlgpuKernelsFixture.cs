using System;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// One ILGPU CPU-accelerator device for every ILGPU kernel-contract class, created on first use:
/// each library kernel is compiled once per device, so sharing it keeps the run short.
/// </summary>
public sealed class IlgpuKernelsFixture : IDisposable
{
    private readonly Lazy<IlgpuDevice> _device = new(Dsl.Device.IlgpuCpu);

    /// <summary>The device (created on first use).</summary>
    public IlgpuDevice Device => _device.Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_device.IsValueCreated)
            _device.Value.Dispose();
    }
}
