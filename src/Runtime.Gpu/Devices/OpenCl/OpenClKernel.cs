using System;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// One <c>__kernel</c> function with its arguments. Setting arguments and launching allocate
/// nothing; a kernel belongs to one thread at a time, since OpenCL keeps arguments in the kernel.
/// </summary>
public sealed unsafe class OpenClKernel : IDisposable
{
    private readonly nint _queue;
    private nint _kernel;
    private nint _lastEvent;

    internal OpenClKernel(OpenClProgram program, nint kernel, string name)
    {
        Program = program;
        _kernel = kernel;
        _queue = program.Device.Queue;
        Name = name;
        program.Device.Track(this);
    }

    /// <summary>The kernel function's name.</summary>
    public string Name { get; }

    /// <summary>The program it comes from.</summary>
    public OpenClProgram Program { get; }

    /// <summary>The largest work-group this kernel can run with on its device (<c>CL_KERNEL_WORK_GROUP_SIZE</c>).</summary>
    public int WorkGroupSize
    {
        get
        {
            nuint size;
            int code = clGetKernelWorkGroupInfo(Handle, Program.Device.DeviceId, CL_KERNEL_WORK_GROUP_SIZE, (nuint)sizeof(nuint), &size, null);
            if (code != 0)
                throw new OpenClException("clGetKernelWorkGroupInfo", code, $"reading the largest work-group of kernel '{Name}'");
            return (int)Math.Min(int.MaxValue, size);
        }
    }

    /// <summary>
    /// How long the last launch ran on the device (from its profiling event's start to end);
    /// waits for that launch to finish.
    /// </summary>
    /// <exception cref="InvalidOperationException">The device was opened without <see cref="OpenClDeviceOptions.EnableProfiling"/>, or the kernel has not been launched.</exception>
    /// <exception cref="OpenClException">The kernel failed or the driver has no profiling data.</exception>
    public TimeSpan LastDuration
    {
        get
        {
            if (!Program.Device.IsProfiling)
                throw new InvalidOperationException($"Kernel '{Name}' has no timings: open the device with new OpenClDeviceOptions {{ EnableProfiling = true }}.");
            nint handle = _lastEvent;
            if (handle == 0)
                throw new InvalidOperationException($"Kernel '{Name}' has not been launched yet.");
            int code = clWaitForEvents(1, &handle);
            if (code != 0)
                throw new OpenClException("clWaitForEvents", code, $"waiting for the last launch of kernel '{Name}'");
            ulong start, end;
            code = clGetEventProfilingInfo(handle, CL_PROFILING_COMMAND_START, sizeof(ulong), &start, null);
            if (code == 0)
                code = clGetEventProfilingInfo(handle, CL_PROFILING_COMMAND_END, sizeof(ulong), &end, null);
            else
                end = 0;
            if (code != 0)
                throw new OpenClException("clGetEventProfilingInfo", code, $"reading the timings of kernel '{Name}'");

            // Nanoseconds to ticks (100 ns), rounded.
            return TimeSpan.FromTicks((long)((end - start + 50) / 100));
        }
    }

    private nint Handle
    {
        get
        {
            if (_kernel == 0)
                ThrowDisposed();
            return _kernel;
        }
    }

    /// <summary>Passes a buffer as argument <paramref name="index"/> (a <c>__global</c> pointer).</summary>
    /// <param name="index">The argument's position, from 0.</param>
    /// <param name="buffer">A buffer of the kernel's device.</param>
    /// <exception cref="OpenClException">The index or argument type is wrong.</exception>
    public void SetArg(int index, OpenClBuffer buffer)
    {
        nint memory = buffer.Memory;
        int code = clSetKernelArg(Handle, (uint)index, (nuint)sizeof(nint), &memory);
        if (code != 0)
            ThrowSetArg(code, index, $"buffer '{buffer.Name}'");
    }

    /// <summary>Passes an <c>int</c> as argument <paramref name="index"/>.</summary>
    /// <param name="index">The argument's position, from 0.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="OpenClException">The index or argument type is wrong.</exception>
    public void SetArg(int index, int value)
    {
        int code = clSetKernelArg(Handle, (uint)index, sizeof(int), &value);
        if (code != 0)
            ThrowSetArg(code, index, $"int {value}");
    }

    /// <summary>Passes a <c>float</c> as argument <paramref name="index"/>.</summary>
    /// <param name="index">The argument's position, from 0.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="OpenClException">The index or argument type is wrong.</exception>
    public void SetArg(int index, float value)
    {
        int code = clSetKernelArg(Handle, (uint)index, sizeof(float), &value);
        if (code != 0)
            ThrowSetArg(code, index, $"float {value}");
    }

    /// <summary>Gives argument <paramref name="index"/> (a <c>__local</c> pointer) <paramref name="bytes"/> of work-group scratch memory.</summary>
    /// <param name="index">The argument's position, from 0.</param>
    /// <param name="bytes">The scratch size in bytes (at most <see cref="OpenClDevice.LocalMemorySize"/>).</param>
    /// <exception cref="OpenClException">The index is wrong or the size is 0.</exception>
    public void SetLocalArg(int index, int bytes)
    {
        int code = clSetKernelArg(Handle, (uint)index, (nuint)bytes, null);
        if (code != 0)
            ThrowSetArg(code, index, $"{bytes} bytes of local memory");
    }

    /// <summary>Enqueues a one-dimensional NDRange (a global size of 0 enqueues nothing).</summary>
    /// <param name="global0">The number of work-items (already rounded to a multiple of <paramref name="local0"/> by the caller).</param>
    /// <param name="local0">The work-group size, or 0 to let the driver choose.</param>
    /// <exception cref="OpenClException">The launch was refused (e.g. <c>CL_INVALID_WORK_GROUP_SIZE</c>, an argument not set).</exception>
    public void Launch(int global0, int local0 = 0)
    {
        if (global0 == 0)
            return;
        nuint global = (nuint)global0, local = (nuint)local0;
        Enqueue(1, &global, local0 == 0 ? null : &local);
    }

    /// <summary>Enqueues a two-dimensional NDRange (a global size of 0 enqueues nothing).</summary>
    /// <param name="global0">Work-items along dimension 0.</param>
    /// <param name="global1">Work-items along dimension 1.</param>
    /// <param name="local0">Work-group size along dimension 0 (both 0: the driver chooses).</param>
    /// <param name="local1">Work-group size along dimension 1.</param>
    /// <exception cref="OpenClException">The launch was refused.</exception>
    public void Launch(int global0, int global1, int local0, int local1)
    {
        if (global0 == 0 || global1 == 0)
            return;
        nuint* global = stackalloc nuint[] { (nuint)global0, (nuint)global1 };
        nuint* local = stackalloc nuint[] { (nuint)local0, (nuint)local1 };
        Enqueue(2, global, local0 == 0 && local1 == 0 ? null : local);
    }

    /// <summary>Enqueues a three-dimensional NDRange (a global size of 0 enqueues nothing), e.g. a GEMM per (example, head).</summary>
    /// <param name="global0">Work-items along dimension 0.</param>
    /// <param name="global1">Work-items along dimension 1.</param>
    /// <param name="global2">Work-items along dimension 2.</param>
    /// <param name="local0">Work-group size along dimension 0 (all 0: the driver chooses).</param>
    /// <param name="local1">Work-group size along dimension 1.</param>
    /// <param name="local2">Work-group size along dimension 2.</param>
    /// <exception cref="OpenClException">The launch was refused.</exception>
    public void Launch(int global0, int global1, int global2, int local0, int local1, int local2)
    {
        if (global0 == 0 || global1 == 0 || global2 == 0)
            return;
        nuint* global = stackalloc nuint[] { (nuint)global0, (nuint)global1, (nuint)global2 };
        nuint* local = stackalloc nuint[] { (nuint)local0, (nuint)local1, (nuint)local2 };
        Enqueue(3, global, local0 == 0 && local1 == 0 && local2 == 0 ? null : local);
    }

    /// <summary>Releases the <c>cl_kernel</c> (and its last event). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_kernel == 0)
            return;
        Program.Device.Untrack(this);
        ReleaseNative();
    }

    internal void ReleaseNative()
    {
        if (_lastEvent != 0)
            clReleaseEvent(_lastEvent);
        if (_kernel != 0)
            clReleaseKernel(_kernel);
        _lastEvent = 0;
        _kernel = 0;
    }

    private void Enqueue(uint dimensions, nuint* global, nuint* local)
    {
        nint kernel = Handle;
        int code;
        if (Program.Device.IsProfiling)
        {
            // Keep this launch's event for LastDuration; the previous one is no longer needed.
            nint next;
            code = clEnqueueNDRangeKernel(_queue, kernel, dimensions, null, global, local, 0, null, &next);
            if (code == 0)
            {
                if (_lastEvent != 0)
                    clReleaseEvent(_lastEvent);
                _lastEvent = next;
            }
        }
        else
        {
            code = clEnqueueNDRangeKernel(_queue, kernel, dimensions, null, global, local, 0, null, null);
        }

        if (code != 0)
            ThrowLaunch(code, dimensions, global, local);
    }

    private void ThrowLaunch(int code, uint dimensions, nuint* global, nuint* local)
    {
        string g = dimensions == 1 ? $"{global[0]}" : $"{global[0]}×{global[1]}";
        string l = local is null ? "chosen by the driver" : dimensions == 1 ? $"{local[0]}" : $"{local[0]}×{local[1]}";
        throw new OpenClException(
            "clEnqueueNDRangeKernel", code,
            $"launching kernel '{Name}' of program '{Program.Name}' with global size {g} and work-group size {l} "
            + $"(the device allows work-groups of {Program.Device.MaxWorkGroupSize}; every argument must be set)");
    }

    private void ThrowSetArg(int code, int index, string what) =>
        throw new OpenClException("clSetKernelArg", code, $"setting argument {index} of kernel '{Name}' to {what}");

    private void ThrowDisposed() =>
        throw new ObjectDisposedException(Name, $"Kernel '{Name}' (or its device) has been disposed.");
}
