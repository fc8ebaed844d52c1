using System;

namespace Dsl;

/// <summary>
/// A generated program's fused element-wise kernels, built for one device from the program's
/// <see cref="FusedKernelSources"/> (<see cref="Device.BuildFusedKernels"/>): the only kernels a
/// program brings itself, since their code is the model's own. Everything else is the device's
/// <see cref="DeviceKernels"/>. As there, the public method validates and the device's core launches.
/// </summary>
public abstract class FusedKernels : IDisposable
{
    /// <summary>Ties the kernels to their device and program.</summary>
    /// <param name="device">The device the kernels run on.</param>
    /// <param name="sources">The program's kernels.</param>
    protected FusedKernels(Device device, FusedKernelSources sources)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(sources);
        Device = device;
        Sources = sources;
    }

    /// <summary>The device the kernels run on; every operand must be one of its float buffers.</summary>
    public Device Device { get; }

    /// <summary>The program's kernels (names, sources).</summary>
    public FusedKernelSources Sources { get; }

    /// <summary>
    /// Runs kernel <paramref name="kernel"/> over <paramref name="count"/> elements of its result
    /// (one work-item each). Allocates nothing: the operands travel in a span (a collection
    /// expression at the call site lives on the stack).
    /// </summary>
    /// <param name="kernel">The kernel's index in <see cref="FusedKernelSources.KernelNames"/>.</param>
    /// <param name="count">The result's element count in this batch.</param>
    /// <param name="scalars">The loss seed and the dropout key and step.</param>
    /// <param name="operands">The kernel's array operands in its parameter order, the result last (after the values a kernel also stores for later steps, if any).</param>
    /// <exception cref="ArgumentOutOfRangeException">No such kernel, or a negative count.</exception>
    /// <exception cref="ArgumentException">No result, an operand on another device or of ints, or a result shorter than <paramref name="count"/>.</exception>
    public void Launch(int kernel, int count, FusedScalars scalars, params ReadOnlySpan<DeviceSlice> operands)
    {
        if ((uint)kernel >= (uint)Sources.KernelNames.Count)
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"{Sources.Name} has {Sources.KernelNames.Count} fused kernels.");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (operands.IsEmpty)
            throw new ArgumentException($"{Sources.KernelNames[kernel]} needs at least its result.", nameof(operands));
        foreach (DeviceSlice operand in operands)
        {
            DeviceBuffer buffer = operand.Buffer ?? throw new ArgumentException($"{Sources.KernelNames[kernel]}: an operand has no buffer.", nameof(operands));
            if (buffer.Device != Device || buffer.ElementType != DeviceElementType.Float32)
                throw new ArgumentException($"{Sources.KernelNames[kernel]}: buffer '{buffer.Name}' is not a float buffer of {Device.Name}.", nameof(operands));
        }

        DeviceSlice result = operands[^1];
        if (result.Length < count)
            throw new ArgumentException(
                $"{Sources.KernelNames[kernel]} writes {count} elements from offset {result.Offset} of buffer '{result.Buffer.Name}', which has {result.Buffer.Length}.",
                nameof(operands));
        LaunchCore(kernel, count, scalars, operands);
    }

    /// <summary>Launches a validated call.</summary>
    /// <param name="kernel">The kernel's index.</param>
    /// <param name="count">The result's element count.</param>
    /// <param name="scalars">The loss seed and the dropout key and step.</param>
    /// <param name="operands">The operands, the result last.</param>
    protected abstract void LaunchCore(int kernel, int count, FusedScalars scalars, ReadOnlySpan<DeviceSlice> operands);

    /// <summary>Releases the kernels.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the kernels' native resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
