using System;

namespace Dsl;

/// <summary>
/// A device's kernel library: one public method per kernel a compiled program calls (GEMM,
/// row kernels, movement, normalisation, gathers, reductions, optimizer updates, dropout).
/// </summary>
/// <remarks>
/// <para>
/// As ILGPU's runtime does, the public methods validate and the device's protected <c>…Core</c>
/// methods compute: every size is non-negative, and every slice is on <see cref="Device"/>, of
/// the element type the kernel reads there, and long enough for every element the kernel touches
/// (the message names the parameter, its offset, the extent needed and the buffer's length). A
/// core may therefore trust its arguments. Sizes come first and operands after, in the order the
/// CPU's static span kernels name them.
/// </para>
/// <para>
/// The values inside the buffers (labels in range, ids in a table) are not checked here: they live
/// on the device, and reading them back would cost a transfer per call; the programs check them on
/// the host as they upload them.
/// </para>
/// <para>
/// Kernels on one device run in the order they are called; results are visible to the host after
/// the buffer's read (OpenCL) or at once (CPU).
/// </para>
/// </remarks>
public abstract partial class DeviceKernels
{
    /// <summary>Creates the library of <paramref name="device"/>; called by the backends.</summary>
    /// <param name="device">The device the kernels run on.</param>
    protected DeviceKernels(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
    }

    /// <summary>The device the kernels run on; every operand must be one of its buffers.</summary>
    public Device Device { get; }

    /// <summary>Checks that a float operand is on this device and holds <paramref name="extent"/> elements from its offset.</summary>
    private void CheckFloats(DeviceSlice slice, long extent, string name) => Check(slice, extent, name, DeviceElementType.Float32);

    /// <summary>Checks that an int operand is on this device and holds <paramref name="extent"/> elements from its offset.</summary>
    private void CheckInts(DeviceSlice slice, long extent, string name) => Check(slice, extent, name, DeviceElementType.Int32);

    private void Check(DeviceSlice slice, long extent, string name, DeviceElementType type)
    {
        DeviceBuffer buffer = slice.Buffer ?? throw new ArgumentNullException(name, $"{name} has no buffer (a default DeviceSlice).");
        if (buffer.Device != Device)
            throw new ArgumentException($"{name}: buffer '{buffer.Name}' is on {buffer.Device.Name}, but these kernels run on {Device.Name}.", name);
        if (buffer.ElementType != type)
            throw new ArgumentException($"{name}: buffer '{buffer.Name}' holds {Describe(buffer.ElementType)}, but the kernel reads {Describe(type)} there.", name);
        if (slice.Offset + extent > buffer.Length)
            throw new ArgumentException(
                $"{name}: the kernel touches {extent} elements from offset {slice.Offset} of buffer '{buffer.Name}', "
                + $"which needs {slice.Offset + extent} elements but the buffer has {buffer.Length}.", name);
    }

    private static string Describe(DeviceElementType type) => type == DeviceElementType.Float32 ? "floats" : "ints";

    /// <summary>Checks that a size is not negative.</summary>
    private static void CheckSize(int value, string name) => ArgumentOutOfRangeException.ThrowIfNegative(value, name);
}
