using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Dsl.Distributed.Tests;

/// <summary>One launch of the worker program, alone or under mpirun, and what it left behind.</summary>
internal sealed class WorkerRun
{
    private WorkerRun(string output, int exitCode, string log, TimeSpan elapsed)
    {
        Output = output;
        ExitCode = exitCode;
        Log = log;
        Elapsed = elapsed;
    }

    /// <summary>The folder the ranks wrote to.</summary>
    public string Output { get; }

    /// <summary>The exit code of the worker (or of mpirun).</summary>
    public int ExitCode { get; }

    /// <summary>Standard output and error together.</summary>
    public string Log { get; }

    /// <summary>Wall time of the launch.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Runs the worker on <paramref name="ranks"/> ranks (0: alone, without mpirun) with the given
    /// arguments and a fresh output folder (<c>--out</c>, or <c>--output</c> for the Digits sample). A launch that outlives <paramref name="limit"/> is killed,
    /// and the test fails: the point of the failure tests is that nothing hangs.
    /// </summary>
    public static WorkerRun Start(int ranks, string arguments, TimeSpan? limit = null, string program = "Distributed.Worker.dll")
    {
        string output = Directory.CreateTempSubdirectory("dsl-ddp-").FullName;
        string worker = Path.Combine(AppContext.BaseDirectory, program);
        var start = ranks == 0
            ? new ProcessStartInfo("dotnet", $"\"{worker}\" {OutputFlag(program)} \"{output}\" {arguments}")
            : new ProcessStartInfo(Mpirun.Path ?? "mpirun", $"--allow-run-as-root --oversubscribe -np {ranks} dotnet \"{worker}\" {OutputFlag(program)} \"{output}\" {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker on {ranks} rank(s) ({arguments}) ran past {(limit ?? TimeSpan.FromSeconds(60)).TotalSeconds} s: it hung.");
        }
        process.WaitForExit();
        return new WorkerRun(output, process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed);
    }

    private static string OutputFlag(string program) => program == "Distributed.Worker.dll" ? "--out" : "--output";

    /// <summary>Rank <paramref name="rank"/>'s parameters.</summary>
    public float[] Parameters(int rank) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Output, $"params-rank{rank}.bin"))).ToArray();

    /// <summary>Rank <paramref name="rank"/>'s parameters before the fit.</summary>
    public float[] InitialParameters(int rank) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Output, $"initial-rank{rank}.bin"))).ToArray();

    /// <summary>Whether rank <paramref name="rank"/> got as far as writing its parameters.</summary>
    public bool Finished(int rank) => File.Exists(Path.Combine(Output, $"params-rank{rank}.bin"));

    /// <summary>Rank <paramref name="rank"/>'s counters: world, steps, bytes, parameters, loss.</summary>
    public Dictionary<string, string> Stats(int rank) => File.ReadAllLines(Path.Combine(Output, $"stats-rank{rank}.txt"))
        .Select(line => line.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>A counter as a number.</summary>
    public double Stat(int rank, string name) => double.Parse(Stats(rank)[name], CultureInfo.InvariantCulture);
}
