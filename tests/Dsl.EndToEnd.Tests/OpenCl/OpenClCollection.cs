using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The OpenCL tests share one device and run one class at a time: PoCL spreads each kernel over
/// every core, so running them side by side only makes each slower.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClDeviceFixture>
{
    public const string Name = "OpenCl";
}

/// <summary>The first usable OpenCL device, opened on first use (a skipped test never opens it).</summary>
public sealed class OpenClDeviceFixture : IDisposable
{
    private readonly Lazy<OpenClDevice> _device = new(() => Dsl.Device.OpenCL());

    public OpenClDevice Device => _device.Value;

    public void Dispose()
    {
        if (_device.IsValueCreated)
            _device.Value.Dispose();
    }
}
