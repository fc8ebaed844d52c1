using System;
using System.Collections.Generic;
using Dsl.EndToEnd.Tests.OpenCl;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// The CUDA code path without a GPU: every parity model on ILGPU's CPU accelerator
/// (<c>Device.IlgpuCpu()</c>: the generated ILGPU kernels, the ILGPU library kernels and the tiled
/// GEMM, run on the host) matches the CPU backend (<see cref="BackendParity"/>).
/// </summary>
public sealed class IlgpuCpuParityTests(IlgpuCpuParityTests.DeviceFixture fixture, ITestOutputHelper output)
    : IClassFixture<IlgpuCpuParityTests.DeviceFixture>
{
    [Theory]
    [MemberData(nameof(Names))]
    public void GradientsAndParametersAfterTrainingMatchTheCpu(string name) =>
        output.WriteLine(BackendParity.Check(name, fixture.Device));

    /// <summary>Every parity model, the Cnn sample's included (its looser parameter bound is <see cref="BackendParity"/>'s).</summary>
    public static IEnumerable<object[]> Names => ParityModels.Names;

    /// <summary>One ILGPU CPU accelerator for every model: starting one compiles ILGPU's library kernels.</summary>
    public sealed class DeviceFixture : IDisposable
    {
        /// <summary>The device.</summary>
        public Device Device { get; } = Dsl.Device.IlgpuCpu();

        /// <inheritdoc/>
        public void Dispose() => Device.Dispose();
    }
}
