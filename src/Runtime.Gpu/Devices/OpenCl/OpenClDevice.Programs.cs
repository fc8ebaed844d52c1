using System;
using System.Text;
using Dsl.Interop.OpenCl;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

public sealed unsafe partial class OpenClDevice
{
    /// <summary>
    /// The program compiled from <paramref name="source"/> with <see cref="BuildOptions"/>: built on
    /// the first request, then taken from the device's cache (keyed by the exact source text).
    /// </summary>
    /// <param name="source">OpenCL C 1.2 source.</param>
    /// <param name="name">The program's name in error messages, e.g. <c>Classifier.DeviceProgram</c>.</param>
    /// <returns>The program, owned by the device (do not dispose it).</returns>
    /// <exception cref="OpenClBuildException">The source does not compile; the message holds the build log.</exception>
    public OpenClProgram GetProgram(string source, string name) => GetProgram(source, name, extraOptions: "");

    /// <summary>As <see cref="GetProgram(string, string)"/>, with options appended to <see cref="BuildOptions"/> (part of the cache key).</summary>
    /// <param name="source">OpenCL C 1.2 source.</param>
    /// <param name="name">The program's name in error messages.</param>
    /// <param name="extraOptions">More compiler options, e.g. <c>-DTILE=16</c>.</param>
    /// <returns>The program, owned by the device.</returns>
    /// <exception cref="OpenClBuildException">The source does not compile; the message holds the build log.</exception>
    public OpenClProgram GetProgram(string source, string name, string extraOptions)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(extraOptions);
        string options = extraOptions.Length == 0 ? BuildOptions : BuildOptions + " " + extraOptions;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_programs.TryGetValue((source, options), out var cached))
                return cached;
            var program = new OpenClProgram(this, Build(source, name, options), name, options);
            _programs.Add((source, options), program);
            ProgramBuildCount++;
            return program;
        }
    }

    private nint Build(string source, string name, string options)
    {
        byte[] text = Encoding.UTF8.GetBytes(source);
        byte[] optionText = Encoding.UTF8.GetBytes(options + "\0");
        int code;
        nint program;
        fixed (byte* t = text)
        {
            byte* strings = t;
            nuint length = (nuint)text.Length;
            program = clCreateProgramWithSource(_context, 1, &strings, &length, &code);
        }

        if (code != 0)
            throw new OpenClException("clCreateProgramWithSource", code, $"creating OpenCL program '{name}' on {Name}");

        nint device = _device;
        fixed (byte* o = optionText)
            code = clBuildProgram(program, 1, &device, o, 0, 0);
        if (code != 0)
        {
            string log = BuildLog(program);
            clReleaseProgram(program);
            throw new OpenClBuildException(name, Name, code, options, log);
        }

        return program;
    }

    private string BuildLog(nint program)
    {
        nuint size;
        if (clGetProgramBuildInfo(program, _device, CL_PROGRAM_BUILD_LOG, 0, null, &size) != 0 || size == 0)
            return "(the driver gave no build log)";
        var bytes = new byte[(int)size];
        fixed (byte* b = bytes)
        {
            if (clGetProgramBuildInfo(program, _device, CL_PROGRAM_BUILD_LOG, size, b, null) != 0)
                return "(the driver gave no build log)";
        }

        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>Records a kernel so that the device's disposal releases it.</summary>
    internal void Track(OpenClKernel kernel)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _kernels.Add(kernel);
        }
    }

    /// <summary>Forgets a kernel its owner released.</summary>
    internal void Untrack(OpenClKernel kernel)
    {
        lock (_lock)
            _kernels.Remove(kernel);
    }
}
