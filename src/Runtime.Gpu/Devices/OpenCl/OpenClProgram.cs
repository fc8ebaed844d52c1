using System;
using System.Text;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// A compiled OpenCL program, owned by its device's cache (<see cref="OpenClDevice.GetProgram(string, string)"/>)
/// and released with the device; callers create kernels from it and never dispose it.
/// </summary>
public sealed unsafe class OpenClProgram
{
    private nint _program;

    internal OpenClProgram(OpenClDevice device, nint program, string name, string options)
    {
        Device = device;
        _program = program;
        Name = name;
        Options = options;
    }

    /// <summary>The name error messages use.</summary>
    public string Name { get; }

    /// <summary>The options it was built with.</summary>
    public string Options { get; }

    /// <summary>The device it was built for.</summary>
    public OpenClDevice Device { get; }

    /// <summary>Creates a fresh <c>cl_kernel</c> for one of the program's <c>__kernel</c> functions.</summary>
    /// <param name="name">The kernel function's name.</param>
    /// <returns>A kernel with its own arguments; dispose it (or the device) to release it.</returns>
    /// <exception cref="OpenClException">No kernel of that name (<c>CL_INVALID_KERNEL_NAME</c>), or the driver failed.</exception>
    public OpenClKernel CreateKernel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_program == 0 || Device.IsDisposed)
            throw new ObjectDisposedException(Name, $"The device of OpenCL program '{Name}' has been disposed.");
        byte[] text = Encoding.UTF8.GetBytes(name + "\0");
        int code;
        nint kernel;
        fixed (byte* t = text)
            kernel = clCreateKernel(_program, t, &code);
        if (code != 0)
            throw new OpenClException("clCreateKernel", code, $"creating kernel '{name}' of OpenCL program '{Name}'");
        return new OpenClKernel(this, kernel, name);
    }

    /// <summary>Releases the <c>cl_program</c> (the device does this when it is disposed).</summary>
    internal void ReleaseNative()
    {
        if (_program != 0)
            clReleaseProgram(_program);
        _program = 0;
    }
}
