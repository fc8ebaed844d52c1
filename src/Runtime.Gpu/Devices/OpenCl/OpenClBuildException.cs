using System;
using Dsl.Interop.OpenCl;

namespace Dsl;

/// <summary>
/// An OpenCL program failed to compile for a device. The message holds the program's name, the
/// build options and the compiler's log; <see cref="BuildLog"/> holds the log alone.
/// </summary>
public sealed class OpenClBuildException : OpenClException
{
    /// <summary>Creates the exception for a failed <c>clBuildProgram</c>.</summary>
    /// <param name="program">The program's name, e.g. <c>Classifier.DeviceProgram</c>.</param>
    /// <param name="device">The device it was built for.</param>
    /// <param name="errorCode">What <c>clBuildProgram</c> returned.</param>
    /// <param name="options">The build options passed to the compiler.</param>
    /// <param name="buildLog">The compiler's log for the device.</param>
    public OpenClBuildException(string program, string device, int errorCode, string options, string buildLog)
        : base(
            "clBuildProgram",
            errorCode,
            $"clBuildProgram failed with {OpenClErrorCodes.Name(errorCode)} ({errorCode}) while building OpenCL program '{program}' "
            + $"for {device} with options \"{options}\". Build log:{Environment.NewLine}{buildLog.TrimEnd()}",
            inner: null)
    {
        ProgramName = program;
        Options = options;
        BuildLog = buildLog;
    }

    /// <summary>The name of the program that failed to build.</summary>
    public string ProgramName { get; }

    /// <summary>The build options passed to the compiler.</summary>
    public string Options { get; }

    /// <summary>The compiler's log (errors with line and column numbers).</summary>
    public string BuildLog { get; }
}
