using System;
using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;

namespace Dsl.Package.Tests;

/// <summary>Runs the <c>dotnet</c> CLI as a user would, in a given folder, and returns what it printed.</summary>
internal static class DotnetCli
{
    /// <summary>The result of one command: its exit code and its standard output and error together.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; kills
    /// the process tree and fails after <paramref name="timeout"/>. The test host's own MSBuild
    /// variables are removed, so the child resolves its SDK as a command line in that folder would.
    /// </summary>
    public static Result Run(string directory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build server outlives the test (MSBuild nodes, the compiler server).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        Task stdout = Task.Run(() => Copy(process.StandardOutput));
        Task stderr = Task.Run(() => Copy(process.StandardError));
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', arguments)}' in {directory} ran past {timeout.TotalSeconds:F0} s. Output so far:\n{output}");
        }
        Task.WaitAll(stdout, stderr);
        return new Result(process.ExitCode, output.ToString());

        void Copy(System.IO.StreamReader reader)
        {
            string? line;
            while ((line = reader.ReadLine()) != null)
                lock (output) output.AppendLine(line);
        }
    }
}
