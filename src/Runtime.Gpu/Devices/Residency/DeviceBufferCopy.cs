using System;

namespace Dsl;

/// <summary>The device copy of training state in a device's memory: one <see cref="DeviceBuffer"/> per host array, moved whole.</summary>
public sealed class DeviceBufferCopy : DeviceCopy
{
    private readonly Memory<float>[] _host;
    private readonly DeviceBuffer[] _device;

    private DeviceBufferCopy(HostDeviceState state, Memory<float>[] host, DeviceBuffer[] device)
        : base(state)
    {
        for (int i = 0; i < host.Length; i++)
        {
            if (device[i].Length != host[i].Length)
                throw new ArgumentException($"Buffer '{device[i].Name}' has {device[i].Length} elements; the host's values have {host[i].Length}.", nameof(device));
        }

        _host = host;
        _device = device;
    }

    /// <summary>The device copy of a model's parameters in <paramref name="buffer"/> (<see cref="ParameterStore.Count"/> floats).</summary>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="buffer">The device buffer holding them between calls.</param>
    /// <returns>The copy; it uploads on its first <see cref="DeviceCopy.MakeCurrent"/>.</returns>
    /// <exception cref="ArgumentException">The buffer's length differs from the store's.</exception>
    public static DeviceBufferCopy Of(ParameterStore parameters, DeviceBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(buffer);
        return new DeviceBufferCopy(parameters.Residency, [parameters.HostArray], [buffer]);
    }

    /// <summary>The device copy of an optimizer state's buffers (momentum, moments), one device buffer each, in order.</summary>
    /// <param name="state">The optimizer's state.</param>
    /// <param name="buffers">One device buffer per <see cref="OptimizerState.Buffers"/> entry, as long.</param>
    /// <returns>The copy; it uploads on its first <see cref="DeviceCopy.MakeCurrent"/>.</returns>
    /// <exception cref="ArgumentException">The counts or a length differ.</exception>
    public static DeviceBufferCopy Of(OptimizerState state, DeviceBuffer[] buffers)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(buffers);
        var host = state.HostBuffers;
        if (host.Count != buffers.Length)
            throw new ArgumentException($"{state.Optimizer} has {host.Count} buffers; {buffers.Length} device buffers were given.", nameof(buffers));
        var values = new Memory<float>[host.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = host[i].Values;
        return new DeviceBufferCopy(state.Residency, values, (DeviceBuffer[])buffers.Clone());
    }

    /// <inheritdoc/>
    protected internal override void Upload()
    {
        for (int i = 0; i < _device.Length; i++)
            _device[i].Write(_host[i].Span);
    }

    /// <inheritdoc/>
    protected internal override bool CanDownload => _device.Length == 0 || !_device[0].Device.IsDisposed;

    /// <inheritdoc/>
    protected internal override void Download()
    {
        for (int i = 0; i < _device.Length; i++)
            _device[i].Read(_host[i].Span);
    }
}
