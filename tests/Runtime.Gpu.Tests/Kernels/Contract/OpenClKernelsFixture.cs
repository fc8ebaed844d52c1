using System;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// One OpenCL device for every OpenCL kernel-contract class of the collection, created on first
/// use: building the library once keeps the run short (the contract is that it is built once per device).
/// </summary>
public sealed class OpenClKernelsFixture : IDisposable
{
    private readonly Lazy<OpenClDevice> _device = new(() => Dsl.Device.OpenCL());

    /// <summary>The device (created on first use).</summary>
    public OpenClDevice Device => _device.Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_device.IsValueCreated)
            _device.Value.Dispose();
    }
}
