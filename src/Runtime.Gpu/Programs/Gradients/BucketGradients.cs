using System;
using System.Numerics.Tensors;

namespace Dsl;

/// <summary>
/// One bucket's gradients where the program keeps them, for a <see cref="GradientHook"/>: a span of
/// host memory on the CPU (<see cref="IsOnHost"/>, <see cref="HostSpan"/>), a range of a device
/// buffer on a device. <see cref="CopyTo"/>, <see cref="CopyFrom"/> and <see cref="Scale"/> work on both.
/// </summary>
/// <remarks>Valid only during the hook's call: the memory may hold other values afterwards.</remarks>
public readonly ref struct BucketGradients
{
    private readonly Span<float> _host;
    private readonly DeviceBuffer? _device;
    private readonly float[]? _array;
    private readonly int _offset;

    /// <summary>The gradients in host memory (the CPU program).</summary>
    /// <param name="host">The bucket's floats.</param>
    public BucketGradients(Span<float> host)
    {
        _host = host;
        Length = host.Length;
    }

    /// <summary>
    /// The gradients in a range of the flat gradient array of the CPU program's whole-gradient
    /// path, which stays allocated (and is not written) until the step's update: a hook may keep
    /// working on the range after <see cref="GradientHook.OnBucketReady"/> returns, until
    /// <see cref="GradientHook.CompleteBuckets"/>.
    /// </summary>
    /// <param name="gradients">The flat gradient.</param>
    /// <param name="offset">The bucket's first element in it.</param>
    /// <param name="length">How many elements.</param>
    internal BucketGradients(float[] gradients, int offset, int length)
    {
        _host = gradients.AsSpan(offset, length);
        _array = gradients;
        _offset = offset;
        Length = length;
    }

    /// <summary>The gradients in a range of an OpenCL buffer.</summary>
    /// <param name="device">The buffer holding the flat gradient.</param>
    /// <param name="offset">The bucket's first element in it.</param>
    /// <param name="length">How many elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the buffer.</exception>
    public BucketGradients(DeviceBuffer device, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (offset < 0 || length < 0 || (long)offset + length > device.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Elements [{offset}, {(long)offset + length}) do not fit in buffer '{device.Name}' of {device.Length} elements.");
        _device = device;
        _offset = offset;
        Length = length;
    }

    /// <summary>How many floats the bucket holds.</summary>
    public int Length { get; }

    /// <summary>
    /// The flat gradient array and the bucket's offset in it, when the bucket may be worked on until
    /// <see cref="GradientHook.CompleteBuckets"/> (see the internal constructor); null when the memory
    /// is valid only during the call.
    /// </summary>
    internal (float[] Array, int Offset)? Deferrable => _array is null ? null : (_array, _offset);

    /// <summary>Whether the gradients are in host memory, so <see cref="HostSpan"/> may be used.</summary>
    public bool IsOnHost => _device is null;

    /// <summary>The gradients themselves, writable in place (the CPU program).</summary>
    /// <exception cref="InvalidOperationException">They live on a device; use <see cref="CopyTo"/>, <see cref="CopyFrom"/> or <see cref="Scale"/>.</exception>
    public Span<float> HostSpan => _device is null
        ? _host
        : throw new InvalidOperationException($"The gradients are on {_device.Device.Name}; read them with CopyTo and write them with CopyFrom.");

    /// <summary>Copies the gradients into <paramref name="destination"/> (a download from a device).</summary>
    /// <param name="destination">Exactly <see cref="Length"/> floats.</param>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public void CopyTo(Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        if (_device is null)
            _host.CopyTo(destination);
        else
            _device.Read(destination, _offset);
    }

    /// <summary>Overwrites the gradients with <paramref name="source"/> (an upload to a device), e.g. after an all-reduce.</summary>
    /// <param name="source">Exactly <see cref="Length"/> floats.</param>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        CheckLength(source.Length, nameof(source));
        if (_device is null)
            source.CopyTo(_host);
        else
            _device.Write(source, _offset);
    }

    /// <summary>Multiplies every gradient by <paramref name="factor"/>.</summary>
    /// <param name="factor">The factor.</param>
    /// <remarks>On a device it runs there (<see cref="DeviceKernels.Scale"/>): nothing crosses to the host.</remarks>
    public void Scale(float factor)
    {
        if (_device is null)
        {
            TensorPrimitives.Multiply(_host, factor, _host);
            return;
        }

        // On the device, in place: the gradients never leave it.
        DeviceSlice slice = _device.Slice(_offset);
        _device.Device.Kernels.Scale(Length, factor, slice, slice);
    }

    private void CheckLength(int length, string name)
    {
        if (length != Length)
            throw new ArgumentException($"The bucket holds {Length} gradients; the span has {length}.", name);
    }
}
