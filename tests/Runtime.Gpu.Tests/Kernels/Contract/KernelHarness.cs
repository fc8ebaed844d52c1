using System;
using System.Collections.Generic;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// A device's kernel library with the buffers one test made on it: uploads, zeroed outputs and
/// downloads, whatever the backend. Disposing it disposes the buffers.
/// </summary>
public sealed class KernelHarness : IDisposable
{
    private readonly List<DeviceBuffer> _buffers = new();

    /// <summary>A harness over <paramref name="kernels"/>.</summary>
    public KernelHarness(DeviceKernels kernels)
    {
        Kernels = kernels;
    }

    /// <summary>The library under test.</summary>
    public DeviceKernels Kernels { get; }

    /// <summary>The library's device.</summary>
    public Device Device => Kernels.Device;

    /// <summary>A float buffer holding <paramref name="values"/>.</summary>
    public DeviceBuffer Floats(float[] values)
    {
        DeviceBuffer buffer = Zeros(values.Length);
        buffer.Write(values);
        return buffer;
    }

    /// <summary>An int buffer holding <paramref name="values"/>.</summary>
    public DeviceBuffer Ints(int[] values)
    {
        DeviceBuffer buffer = Track(Device.AllocateInts(values.Length, "ints"));
        buffer.Write(values);
        return buffer;
    }

    /// <summary>A zeroed float buffer of <paramref name="count"/> elements.</summary>
    public DeviceBuffer Zeros(int count) => Track(Device.AllocateFloats(count, "floats"));

    /// <summary>The buffer's floats, after every kernel enqueued before.</summary>
    public float[] Read(DeviceBuffer buffer)
    {
        var values = new float[buffer.Length];
        buffer.Read(values);
        return values;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
        _buffers.Clear();
    }

    private DeviceBuffer Track(DeviceBuffer buffer)
    {
        _buffers.Add(buffer);
        return buffer;
    }
}
