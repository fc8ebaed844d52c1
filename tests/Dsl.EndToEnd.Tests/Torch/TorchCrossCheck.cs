using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Torch;

/// <summary>
/// Runs a compiled language model's loss and gradients past PyTorch, as a new user would: the
/// parameters are written as safetensors by this project, the batch and the compiled gradients
/// beside them, and a script under <c>bench/torch</c> loads both into the same model written with
/// torch.nn (the same state_dict names) and prints, last, <c>max relative error: e</c> against
/// torch in float64. Needs Debian's python3 with torch (<see cref="TorchFactAttribute"/>).
/// </summary>
internal static class TorchCrossCheck
{
    /// <summary>Debian's python3, where <c>python3-torch</c> installs torch.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Writes the model's parameters and the batch (ids and next, I32 [batch, T]) with its compiled
    /// loss and gradients, runs <paramref name="script"/> on them and returns the error it reports.
    /// </summary>
    /// <param name="script">A file name under <c>bench/torch</c>, e.g. <c>gpt_crosscheck.py</c>.</param>
    /// <param name="parameters">The model's parameters (the weights the gradients were computed at).</param>
    /// <param name="ids">The input ids, batch × T.</param>
    /// <param name="next">The target ids, batch × T.</param>
    /// <param name="length">T.</param>
    /// <param name="loss">The compiled batch-mean loss.</param>
    /// <param name="gradients">The compiled gradient, one float per parameter.</param>
    /// <param name="output">Where the script's lines are written.</param>
    /// <param name="metadata">More metadata for the script (e.g. the head count).</param>
    /// <returns>The largest relative error the script found.</returns>
    public static double MaxRelativeError(
        string script, ParameterStore parameters, int[] ids, int[] next, int length, float loss, float[] gradients,
        ITestOutputHelper output, IReadOnlyDictionary<string, string>? metadata = null)
    {
        int batch = ids.Length / length;
        var inputs = new List<SafeTensor>
        {
            new("ids", SafeTensorsDType.I32, new[] { batch, length }, MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()),
            new("next", SafeTensorsDType.I32, new[] { batch, length }, MemoryMarshal.AsBytes(next.AsSpan()).ToArray()),
        };
        return MaxRelativeError(script, parameters, inputs, loss, gradients, output, metadata);
    }

    /// <summary>
    /// Writes the model's parameters and the batch's <paramref name="inputs"/> with its compiled
    /// loss and gradients, runs <paramref name="script"/> on them and returns the error it reports.
    /// </summary>
    /// <param name="script">A file name under <c>bench/torch</c>.</param>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="inputs">The batch, as the script reads it (e.g. <c>x</c> F32 [B, C, H, W] and <c>labels</c> I32 [B]).</param>
    /// <param name="loss">The compiled batch-mean loss.</param>
    /// <param name="gradients">The compiled gradient, one float per parameter.</param>
    /// <param name="output">Where the script's lines are written.</param>
    /// <param name="metadata">More metadata for the script.</param>
    /// <returns>The largest relative error the script found.</returns>
    public static double MaxRelativeError(
        string script, ParameterStore parameters, IReadOnlyList<SafeTensor> inputs, float loss, float[] gradients,
        ITestOutputHelper output, IReadOnlyDictionary<string, string>? metadata = null)
    {
        // Reached without torch only when DSL_REQUIRE_TORCH=1 kept the test from skipping.
        if (TorchFactAttribute.MissingReason is { } missing)
            Assert.Fail($"{TorchFactAttribute.RequireVariable}=1 but {missing}");

        string folder = Directory.CreateTempSubdirectory("torch-crosscheck-").FullName;
        try
        {
            string parameterFile = Path.Combine(folder, "params.safetensors"), batchFile = Path.Combine(folder, "batch.safetensors");
            parameters.SaveSafeTensors(parameterFile);
            var tensors = new List<SafeTensor>(inputs);
            foreach (ParameterInfo info in parameters.Parameters.Where(p => p.IsTrainable)) // buffers have no gradient
                tensors.Add(new("grad/" + info.Name, SafeTensorsDType.F32, info.Shape, MemoryMarshal.AsBytes(gradients.AsSpan(info.Offset, info.Length)).ToArray()));
            var entries = new Dictionary<string, string> { ["loss"] = loss.ToString("R", CultureInfo.InvariantCulture) };
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
                entries[key] = value;
            SafeTensors.Save(batchFile, tensors, entries);

            string path = Path.Combine(RepositoryRoot(), "bench", "torch", script);
            (int exit, string text) = Run(Python, $"\"{path}\" \"{parameterFile}\" \"{batchFile}\"");
            output.WriteLine(text);
            Assert.True(exit == 0, $"{script} failed:\n" + text);
            string last = text.Trim().Split('\n').Last();
            Assert.StartsWith("max relative error: ", last);
            return double.Parse(last["max relative error: ".Length..], CultureInfo.InvariantCulture);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static (int Exit, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", ".."));
}

/// <summary>
/// A fact that needs python3 with torch: skipped, saying which is missing, where it is, unless
/// <c>DSL_REQUIRE_TORCH=1</c> (set by CI), where it runs and fails with the reason, so that CI
/// cannot pass without running the PyTorch cross-checks. Name test classes with "Torch" so that
/// <c>.ci/run</c> counts them.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    /// <summary>The variable that turns "no torch, skipped" into a failure.</summary>
    public const string RequireVariable = "DSL_REQUIRE_TORCH";

    // Importing torch takes most of a second: asked once per test run, not once per test.
    private static readonly Lazy<string?> s_missing = new(() =>
    {
        if (!File.Exists(TorchCrossCheck.Python))
            return "no " + TorchCrossCheck.Python + " (apt-get install python3-torch python3-numpy)";
        (int exit, _) = TorchCrossCheck.Run(TorchCrossCheck.Python, "-c \"import torch, numpy\"");
        return exit == 0 ? null : TorchCrossCheck.Python + " has no torch or numpy (apt-get install python3-torch python3-numpy)";
    });

    /// <summary>Why torch cannot run here, or null when it can.</summary>
    internal static string? MissingReason => s_missing.Value;

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when torch is missing and not required.</summary>
    public TorchFactAttribute()
    {
        if (s_missing.Value is { } reason && Environment.GetEnvironmentVariable(RequireVariable) != "1")
            Skip = reason;
    }
}
