using System;
using Dsl.EndToEnd.Tests.Ilgpu;
using Dsl.EndToEnd.Tests.OpenCl;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.Cuda;

/// <summary>
/// Every parity model on the first CUDA GPU matches the CPU backend (<see cref="BackendParity"/>):
/// skipped with the reason where there is no CUDA device, failed instead under DSL_REQUIRE_CUDA=1
/// (<see cref="CudaTestEnvironment"/>).
/// </summary>
public sealed class CudaParityTests(CudaParityTests.DeviceFixture fixture, ITestOutputHelper output)
    : IClassFixture<CudaParityTests.DeviceFixture>
{
    [Theory]
    [MemberData(nameof(ParityModels.Names), MemberType = typeof(ParityModels))]
    public void GradientsAndParametersAfterTrainingMatchTheCpu(string name)
    {
        if (CudaTestEnvironment.SkipReason is { } reason)
            Assert.Skip(reason);
        output.WriteLine(BackendParity.Check(name, fixture.Device));
    }

    /// <summary>One CUDA device for every model, opened on first use so that a skipped run opens none.</summary>
    public sealed class DeviceFixture : IDisposable
    {
        private readonly Lazy<Device> _device = new(() => Dsl.Device.Cuda());

        /// <summary>The device.</summary>
        public Device Device => _device.Value;

        /// <inheritdoc/>
        public void Dispose()
        {
            if (_device.IsValueCreated)
                _device.Value.Dispose();
        }
    }
}
