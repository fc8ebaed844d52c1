using System;

namespace Dsl;

/// <summary>The device copy of training state on an OpenCL device: one buffer per host array, moved whole.</summary>
public sealed class OpenClCopy : DeviceCopy
{
    private readonly Memory<float>[] _host;
    private readonly OpenClBuffer[] _device;

    private OpenClCopy(HostDeviceState state, Memory<float>[] host, OpenClBuffer[] device)
        : base(state)
    {
        for (int i = 0; i < host.Length; i++)
        {
            if (device[i].Count != host[i].Length)
                throw new ArgumentException($"Buffer '{device[i].Name}' has {device[i].Count} elements; the host's values have {host[i].Length}.", nameof(device));
        }

        _host = host;
        _device = device;
    }

    /// <summary>The device copy of a model's parameters in <paramref name="buffer"/> (<see cref="ParameterStore.Count"/> floats).</summary>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="buffer">The device buffer holding them between calls.</param>
    /// <exception cref="ArgumentException">The buffer's length differs from the store's.</exception>
    public static OpenClCopy Of(ParameterStore parameters, OpenClBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(buffer);
        return new OpenClCopy(parameters.Residency, [parameters.HostArray], [buffer]);
    }

    /// <summary>The device copy of an optimizer state's buffers (momentum, moments), one device buffer each, in order.</summary>
    /// <param name="state">The optimizer's state.</param>
    /// <param name="buffers">One device buffer per <see cref="OptimizerState.Buffers"/> entry, as long.</param>
    /// <exception cref="ArgumentException">The counts or a length differ.</exception>
    public static OpenClCopy Of(OptimizerState state, OpenClBuffer[] buffers)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(buffers);
        var host = state.HostBuffers;
        if (host.Count != buffers.Length)
            throw new ArgumentException($"{state.Optimizer} has {host.Count} buffers; {buffers.Length} device buffers were given.", nameof(buffers));
        var values = new Memory<float>[host.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = host[i].Values;
        return new OpenClCopy(state.Residency, values, (OpenClBuffer[])buffers.Clone());
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
