using System;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests;

/// <summary>Compile picks the program for the device's kind, and names a device it has no backend for.</summary>
public sealed class DeviceDispatchTests
{
    [Fact]
    public void ADeviceWithoutABackendIsRefusedByName()
    {
        using var device = new UnbackedDevice();
        var error = Assert.Throws<NotSupportedException>(() => new Classifier(seed: 1).Compile(device, maxBatch: 4));
        Assert.Contains("Cuda", error.Message);
        Assert.Contains(device.Name, error.Message);
    }

    [Fact]
    public void TheCpuGetsTheCpuProgram()
    {
        using Classifier.Program program = new Classifier(seed: 1).Compile(Device.Cpu, maxBatch: 4);
        Assert.Equal("CpuProgram", program.GetType().Name);
    }

    private sealed class UnbackedDevice : Device
    {
        public override string Name => "a CUDA device of the test";

        public override DeviceKind Kind => DeviceKind.Cuda;

        public override bool IsDeterministic => true;
    }
}
