using System;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

/// <summary>
/// A program's fused element-wise kernels on an <see cref="IlgpuDevice"/>: the static methods of
/// <see cref="FusedKernelSources.Ilgpu"/>, each compiled once when the program builds them and
/// launched one thread per element on the device's stream, with the contract's arguments (count,
/// each operand's view and offset, the result last, then seed, the dropout key's halves and step).
/// </summary>
internal sealed class IlgpuFusedKernels : FusedKernels
{
    /// <summary>The contract's parameters besides the operands: index, count, seed, key low, key high, step.</summary>
    private const int FixedParameters = 6;

    private readonly IlgpuDevice _device;
    private readonly Kernel[] _kernels;
    private readonly int[] _operands;

    /// <summary>Checks every method's signature and compiles it on <paramref name="device"/>.</summary>
    /// <exception cref="NotSupportedException">The program carries no ILGPU kernels.</exception>
    /// <exception cref="ArgumentException">The methods are not one per kernel, or one does not have the contract's signature.</exception>
    /// <exception cref="KernelLaunchException">ILGPU cannot compile a kernel for the device.</exception>
    public IlgpuFusedKernels(IlgpuDevice device, FusedKernelSources sources)
        : base(device, sources)
    {
        _device = device;
        var methods = sources.Ilgpu ?? throw new NotSupportedException($"{sources.Name} carries no ILGPU kernels for {device.Name}.");
        if (methods.Count != sources.KernelNames.Count)
            throw new ArgumentException($"{sources.Name} names {sources.KernelNames.Count} fused kernels but carries {methods.Count} ILGPU methods.", nameof(sources));
        _kernels = new Kernel[methods.Count];
        _operands = new int[methods.Count];
        for (int i = 0; i < methods.Count; i++)
        {
            _operands[i] = OperandCount(methods[i], sources.KernelNames[i]);
            try
            {
                _kernels[i] = device.Accelerator.LoadAutoGroupedKernel(methods[i]);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, $"Compiling fused kernel {sources.KernelNames[i]} of {sources.Name}", device) is { } typed)
            {
                Dispose();
                throw typed;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The call passes a number of operands other than the kernel's.</exception>
    protected override void LaunchCore(int kernel, int count, FusedScalars scalars, ReadOnlySpan<DeviceSlice> operands)
    {
        if (operands.Length != _operands[kernel])
            throw new ArgumentException($"{Sources.KernelNames[kernel]} takes {_operands[kernel]} operands; the call passes {operands.Length}.", nameof(operands));
        if (count == 0)
            return;
        // ILGPU's launcher takes the arguments after the index boxed; launches are not the
        // allocation-free path on this device.
        var arguments = new object[1 + (2 * operands.Length) + 4];
        int a = 0;
        arguments[a++] = count;
        foreach (DeviceSlice operand in operands)
        {
            arguments[a++] = ((IlgpuBuffer)operand.Buffer).Floats(0);
            arguments[a++] = operand.Offset;
        }

        arguments[a++] = scalars.Seed;
        arguments[a++] = (uint)scalars.DropoutKey;
        arguments[a++] = (uint)(scalars.DropoutKey >> 32);
        arguments[a] = scalars.DropoutStep;
        try
        {
            _kernels[kernel].Launch(_device.Stream, count, arguments);
        }
        catch (Exception e) when (IlgpuErrors.Launch(e, $"Fused kernel {Sources.KernelNames[kernel]} of {Sources.Name}", _device) is { } typed)
        {
            throw typed;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_device.IsDisposed)
        {
            foreach (Kernel kernel in _kernels)
                kernel?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The operands (the result included) of a method with the contract's signature.</summary>
    private static int OperandCount(MethodInfo method, string name)
    {
        System.Reflection.ParameterInfo[] parameters = method.GetParameters();
        int pairs = (parameters.Length - FixedParameters) / 2;
        bool valid = method.IsStatic && method.ReturnType == typeof(void)
            && parameters.Length >= FixedParameters + 2 && (parameters.Length - FixedParameters) % 2 == 0
            && parameters[0].ParameterType == typeof(Index1D) && parameters[1].ParameterType == typeof(int)
            && parameters[^4].ParameterType == typeof(float) && parameters[^3].ParameterType == typeof(uint)
            && parameters[^2].ParameterType == typeof(uint) && parameters[^1].ParameterType == typeof(uint);
        for (int p = 0; valid && p < pairs; p++)
            valid = parameters[2 + (2 * p)].ParameterType == typeof(ArrayView<float>) && parameters[3 + (2 * p)].ParameterType == typeof(int);
        if (!valid)
            throw new ArgumentException(
                $"Fused kernel {name} ({method.DeclaringType?.FullName}.{method.Name}) must be static void (Index1D index, int count, "
                + "then ArrayView<float> and int offset per operand, the result last, then float seed, uint keyLow, uint keyHigh, uint step).",
                nameof(method));
        return pairs;
    }
}
