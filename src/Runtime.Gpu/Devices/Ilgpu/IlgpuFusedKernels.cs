using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

/// <summary>
/// A program's fused element-wise kernels on an <see cref="IlgpuDevice"/>: the static methods of
/// <see cref="FusedKernelSources.Ilgpu"/>, each compiled once when the program builds them and
/// launched on a bounded grid (each a grid-stride loop, <see cref="IlgpuGridStride"/>) on the
/// program's stream (its view of the device, <see cref="IlgpuDevice.ForProgram"/>, which these
/// kernels own and release), with the contract's arguments (count, each operand's view and offset, the
/// result last, then seed, the dropout key's halves and step).
/// </summary>
/// <remarks>
/// ILGPU's untyped <c>Kernel.Launch</c> boxes every argument into an <c>object[]</c>. Each kernel here
/// gets a typed launcher instead (<see cref="FusedLauncher"/>, compiled once per kernel), which reads
/// the operands from two arrays this class reuses: a launch allocates nothing.
/// </remarks>
internal sealed class IlgpuFusedKernels : FusedKernels
{
    /// <summary>The contract's parameters besides the operands: count, seed, key low, key high, step.</summary>
    private const int FixedParameters = 5;

    private readonly IlgpuDevice _device;
    private readonly AcceleratorStream _stream;
    private readonly FusedLauncher[] _launchers;
    private readonly int[] _operands;
    // One launch's operand views and offsets, refilled by each launch under _gate.
    private readonly ArrayView<float>[] _views;
    private readonly int[] _offsets;
    private readonly object _gate = new();

    /// <summary>Checks every method's signature and compiles it on <paramref name="device"/> (a program's view), to launch on its stream.</summary>
    /// <exception cref="NotSupportedException">The program carries no ILGPU kernels.</exception>
    /// <exception cref="ArgumentException">The methods are not one per kernel, or one does not have the contract's signature.</exception>
    /// <exception cref="KernelLaunchException">ILGPU cannot compile a kernel for the device.</exception>
    public IlgpuFusedKernels(IlgpuDevice device, FusedKernelSources sources)
        : base(device, sources)
    {
        _device = device;
        _stream = device.Stream;
        var methods = sources.Ilgpu ?? throw new NotSupportedException($"{sources.Name} carries no ILGPU kernels for {device.Name}.");
        if (methods.Count != sources.KernelNames.Count)
            throw new ArgumentException($"{sources.Name} names {sources.KernelNames.Count} fused kernels but carries {methods.Count} ILGPU methods.", nameof(sources));
        _launchers = new FusedLauncher[methods.Count];
        _operands = new int[methods.Count];
        int widest = 0;
        for (int i = 0; i < methods.Count; i++)
        {
            _operands[i] = OperandCount(methods[i], sources.KernelNames[i]);
            widest = Math.Max(widest, _operands[i]);
            try
            {
                _launchers[i] = Launcher(device.Accelerator.LoadKernel(methods[i]), _operands[i]);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, $"Compiling fused kernel {sources.KernelNames[i]} of {sources.Name}", device) is { } typed)
            {
                throw typed;
            }
        }

        _views = new ArrayView<float>[widest];
        _offsets = new int[widest];
    }

    /// <summary>
    /// Launches a fused kernel: the stream, the grid, the count, then each operand's view and offset
    /// read from <paramref name="views"/> and <paramref name="offsets"/>, then the scalars.
    /// </summary>
    private delegate void FusedLauncher(
        AcceleratorStream stream, KernelConfig grid, int count, ArrayView<float>[] views, int[] offsets, float seed, uint keyLow, uint keyHigh, uint step);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The call passes a number of operands other than the kernel's.</exception>
    protected override void LaunchCore(int kernel, int count, FusedScalars scalars, ReadOnlySpan<DeviceSlice> operands)
    {
        if (operands.Length != _operands[kernel])
            throw new ArgumentException($"{Sources.KernelNames[kernel]} takes {_operands[kernel]} operands; the call passes {operands.Length}.", nameof(operands));
        if (count == 0)
            return;
        lock (_gate)
        {
            for (int i = 0; i < operands.Length; i++)
            {
                _views[i] = ((IlgpuBuffer)operands[i].Buffer).Floats(0);
                _offsets[i] = operands[i].Offset;
            }

            try
            {
                _launchers[kernel](
                    _stream, _device.GridStrideLaunch(count), count, _views, _offsets,
                    scalars.Seed, (uint)scalars.DropoutKey, (uint)(scalars.DropoutKey >> 32), scalars.DropoutStep);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, $"Fused kernel {Sources.KernelNames[kernel]} of {Sources.Name}", _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Releases the program's view of the device: its stream and its kernel library.</remarks>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _device.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The typed launcher of a kernel with <paramref name="operands"/> operands: ILGPU's launcher
    /// delegate of the kernel's exact signature (an <c>Action</c>, or a delegate type made for the
    /// arity where it has more than 16 parameters), called by a compiled lambda that takes the
    /// operands out of the arrays.
    /// </summary>
    private static FusedLauncher Launcher(Kernel kernel, int operands)
    {
        var types = new List<Type> { typeof(AcceleratorStream), typeof(KernelConfig), typeof(int) };
        for (int i = 0; i < operands; i++)
        {
            types.Add(typeof(ArrayView<float>));
            types.Add(typeof(int));
        }

        types.AddRange([typeof(float), typeof(uint), typeof(uint), typeof(uint), typeof(void)]);
        Type delegateType = Expression.GetDelegateType([.. types]);
        var typed = (Delegate)typeof(Kernel).GetMethod(nameof(Kernel.CreateLauncherDelegate))!
            .MakeGenericMethod(delegateType).Invoke(kernel, null)!;

        ParameterExpression stream = Expression.Parameter(typeof(AcceleratorStream), "stream"), grid = Expression.Parameter(typeof(KernelConfig), "grid");
        ParameterExpression count = Expression.Parameter(typeof(int), "count");
        ParameterExpression views = Expression.Parameter(typeof(ArrayView<float>[]), "views"), offsets = Expression.Parameter(typeof(int[]), "offsets");
        ParameterExpression seed = Expression.Parameter(typeof(float), "seed"), keyLow = Expression.Parameter(typeof(uint), "keyLow");
        ParameterExpression keyHigh = Expression.Parameter(typeof(uint), "keyHigh"), step = Expression.Parameter(typeof(uint), "step");
        var arguments = new List<Expression> { stream, grid, count };
        for (int i = 0; i < operands; i++)
        {
            arguments.Add(Expression.ArrayIndex(views, Expression.Constant(i)));
            arguments.Add(Expression.ArrayIndex(offsets, Expression.Constant(i)));
        }

        arguments.AddRange([seed, keyLow, keyHigh, step]);
        return Expression.Lambda<FusedLauncher>(
            Expression.Invoke(Expression.Constant(typed), arguments), stream, grid, count, views, offsets, seed, keyLow, keyHigh, step).Compile();
    }

    /// <summary>The operands (the result included) of a method with the contract's signature.</summary>
    private static int OperandCount(MethodInfo method, string name)
    {
        System.Reflection.ParameterInfo[] parameters = method.GetParameters();
        int pairs = (parameters.Length - FixedParameters) / 2;
        bool valid = method.IsStatic && method.ReturnType == typeof(void)
            && parameters.Length >= FixedParameters + 2 && (parameters.Length - FixedParameters) % 2 == 0
            && parameters[0].ParameterType == typeof(int)
            && parameters[^4].ParameterType == typeof(float) && parameters[^3].ParameterType == typeof(uint)
            && parameters[^2].ParameterType == typeof(uint) && parameters[^1].ParameterType == typeof(uint);
        for (int p = 0; valid && p < pairs; p++)
            valid = parameters[1 + (2 * p)].ParameterType == typeof(ArrayView<float>) && parameters[2 + (2 * p)].ParameterType == typeof(int);
        if (!valid)
            throw new ArgumentException(
                $"Fused kernel {name} ({method.DeclaringType?.FullName}.{method.Name}) must be static void (int count, "
                + "then ArrayView<float> and int offset per operand, the result last, then float seed, uint keyLow, uint keyHigh, uint step), "
                + "a grid-stride loop over the count elements (Dsl.IlgpuGridStride).",
                nameof(method));
        return pairs;
    }
}
