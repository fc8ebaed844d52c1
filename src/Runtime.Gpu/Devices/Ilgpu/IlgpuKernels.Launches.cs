using System;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// The library's launches, without a closure: each kernel's typed launcher (ILGPU's
// Action<AcceleratorStream, KernelConfig, ...> of its exact signature) is loaded once into its field
// and called with the arguments passed straight through these generic methods, one per arity, so a
// launch allocates nothing of its own (a lambda capturing the arguments would allocate a closure and
// a delegate per launch). A launch of no items is skipped: ILGPU refuses empty grids.
public sealed partial class IlgpuKernels
{
    /// <summary>
    /// Launches <paramref name="kernel"/> on the library's stream over <paramref name="grid"/> unless
    /// <paramref name="items"/> is 0, loading its typed launcher into <paramref name="launcher"/> on the
    /// first call; under the library's lock, with the device's errors as <see cref="KernelLaunchException"/>.
    /// </summary>
    private void PerItem<T1, T2, T3>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3>? launcher, Action<T1, T2, T3> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3)
        where T1 : struct
        where T2 : struct
        where T3 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4>? launcher, Action<T1, T2, T3, T4> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4, T5>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5>? launcher, Action<T1, T2, T3, T4, T5> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4, a5);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4, T5, T6>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6>? launcher, Action<T1, T2, T3, T4, T5, T6> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4, a5, a6);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4, T5, T6, T7>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7>? launcher, Action<T1, T2, T3, T4, T5, T6, T7> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4, a5, a6, a7);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4, T5, T6, T7, T8>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8>? launcher, Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4, a5, a6, a7, a8);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }

    /// <inheritdoc cref="PerItem{T1, T2, T3}"/>
    private void PerItem<T1, T2, T3, T4, T5, T6, T7, T8, T9>(
        long items, ref Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9>? launcher, Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, KernelConfig grid,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
        where T8 : struct
        where T9 : struct
    {
        if (items <= 0)
            return;
        lock (_gate)
        {
            try
            {
                (launcher ??= _accelerator.LoadKernel(kernel))(_stream, grid, a1, a2, a3, a4, a5, a6, a7, a8, a9);
            }
            catch (Exception e) when (IlgpuErrors.Launch(e, kernel.Method.Name, _device) is { } typed)
            {
                throw typed;
            }
        }
    }
}
