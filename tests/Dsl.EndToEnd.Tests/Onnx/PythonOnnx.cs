using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using Xunit;

namespace Dsl.EndToEnd.Tests.Onnx;

/// <summary>A fact that needs <see cref="PythonOnnx"/>: skipped, with the reason, where python3 or its onnx package is missing.</summary>
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when python3 cannot import onnx.</summary>
    public PythonOnnxFactAttribute()
    {
        if (PythonOnnx.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>A python3 with the onnx package (Debian's python3-onnx), when the machine has one.</summary>
public static class PythonOnnx
{
    // The python3 on PATH first; then Debian's, which python3-onnx installs into, where PATH finds
    // another first (a pyenv shim).
    private static readonly string[] Candidates = { "python3", "/usr/bin/python3" };

    private static readonly Lazy<(string? Python, string Reason)> Found = new(() =>
    {
        var reasons = new List<string>();
        foreach (string python in Candidates)
        {
            try
            {
                (int exitCode, string text) = RunIn(python, "import onnx");
                if (exitCode == 0)
                    return (python, "");
                reasons.Add($"{python} cannot import onnx: {text.Trim().Split('\n')[^1]}");
            }
            catch (Win32Exception e)
            {
                reasons.Add($"{python} is not there: {e.Message}");
            }
        }
        return (null, "install python3-onnx (" + string.Join("; ", reasons) + ")");
    });

    /// <summary>Why no python3 here imports onnx, or null when one does.</summary>
    public static string? SkipReason => Found.Value.Python is null ? Found.Value.Reason : null;

    /// <summary>Runs <paramref name="script"/> in the python3 that imports onnx; see <see cref="RunIn"/>.</summary>
    public static (int ExitCode, string Output) Run(string script, params string[] arguments) =>
        RunIn(Found.Value.Python ?? throw new InvalidOperationException(Found.Value.Reason), script, arguments);

    /// <summary>Runs <paramref name="script"/> in <paramref name="python"/> with <paramref name="arguments"/> as sys.argv[1:]; its exit code and its output and errors together.</summary>
    private static (int ExitCode, string Output) RunIn(string python, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text + errors.Result);
    }
}
