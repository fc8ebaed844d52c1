using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Dsl.EndToEnd.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary>
/// <see cref="TinyGpt"/> against PyTorch: the weights written as safetensors by this project are
/// loaded by <c>bench/torch/gpt_crosscheck.py</c> into the same GPT in torch.nn
/// (nn.MultiheadAttention under a causal mask), and the loss and gradients of a fixed batch must
/// agree to 1e-4 relative (against torch in float64). Needs Debian's python3 with torch; skipped,
/// saying so, where it is missing.
/// </summary>
public class GptTorchTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void ParametersHaveThePyTorchStateDictNamesAndShapes()
    {
        var model = new TinyGpt(seed: 1);
        var expected = new List<(string, int[])>
        {
            ("token_embedding.weight", [TinyGpt.Vocab, TinyGpt.Width]),
            ("position_embedding.weight", [TinyGpt.Context, TinyGpt.Width]),
        };
        const int d = TinyGpt.Width;
        for (int i = 0; i < TinyGpt.Layers; i++)
        {
            string p = $"blocks.{i}.";
            expected.AddRange(new (string, int[])[]
            {
                (p + "norm1.weight", [d]), (p + "norm1.bias", [d]),
                (p + "attention.in_proj_weight", [3 * d, d]), (p + "attention.in_proj_bias", [3 * d]),
                (p + "attention.out_proj.weight", [d, d]), (p + "attention.out_proj.bias", [d]),
                (p + "norm2.weight", [d]), (p + "norm2.bias", [d]),
                (p + "up.weight", [4 * d, d]), (p + "up.bias", [4 * d]),
                (p + "down.weight", [d, 4 * d]), (p + "down.bias", [d]),
            });
        }
        expected.AddRange(new (string, int[])[] { ("norm.weight", [d]), ("norm.bias", [d]), ("head.weight", [TinyGpt.Vocab, d]) });
        Assert.Equal(expected.Select(e => e.Item1), model.Parameters.Parameters.Select(i => i.Name));
        foreach (var (info, (name, shape)) in model.Parameters.Parameters.Zip(expected))
            Assert.True(shape.SequenceEqual(info.Shape), $"{name} is [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}]");
    }

    [TorchFact]
    public void LossAndGradientsMatchPyTorch()
    {
        var model = new TinyGpt(seed: 11);
        using TinyGpt.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 4, t = TinyGpt.Context;
        var random = new Random(12);
        int[] ids = Enumerable.Range(0, batch * t).Select(_ => random.Next(TinyGpt.Vocab)).ToArray();
        int[] next = Enumerable.Range(0, batch * t).Select(_ => random.Next(TinyGpt.Vocab)).ToArray();
        var gradients = new float[TinyGpt.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradients);

        string folder = Directory.CreateTempSubdirectory("gpt-torch-").FullName;
        try
        {
            string parameters = Path.Combine(folder, "params.safetensors"), data = Path.Combine(folder, "batch.safetensors");
            model.Parameters.SaveSafeTensors(parameters);
            var tensors = new List<SafeTensor>
            {
                new("ids", SafeTensorsDType.I32, new[] { batch, t }, MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()),
                new("next", SafeTensorsDType.I32, new[] { batch, t }, MemoryMarshal.AsBytes(next.AsSpan()).ToArray()),
            };
            foreach (ParameterInfo info in model.Parameters.Parameters)
                tensors.Add(new("grad/" + info.Name, SafeTensorsDType.F32, info.Shape, MemoryMarshal.AsBytes(gradients.AsSpan(info.Offset, info.Length)).ToArray()));
            SafeTensors.Save(data, tensors, new Dictionary<string, string>
            {
                ["loss"] = loss.ToString("R", CultureInfo.InvariantCulture),
                ["heads"] = TinyGpt.Heads.ToString(CultureInfo.InvariantCulture),
            });

            string script = Path.Combine(RepositoryRoot(), "bench", "torch", "gpt_crosscheck.py");
            (int exit, string text) = Run(Python, $"\"{script}\" \"{parameters}\" \"{data}\"");
            output.WriteLine(text);
            Assert.True(exit == 0, "the cross-check script failed:\n" + text);
            string last = text.Trim().Split('\n').Last();
            Assert.StartsWith("max relative error: ", last);
            double worst = double.Parse(last["max relative error: ".Length..], CultureInfo.InvariantCulture);
            Assert.True(worst <= 1e-4, $"TinyGpt differs from PyTorch by {worst:E2} relative:\n{text}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", ".."));

    /// <summary>A fact that needs python3 with torch; skipped where it is missing.</summary>
    private sealed class TorchFactAttribute : FactAttribute
    {
        public TorchFactAttribute()
        {
            if (!File.Exists(Python))
            {
                Skip = "no " + Python;
                return;
            }
            (int exit, _) = Run(Python, "-c \"import torch\"");
            if (exit != 0)
                Skip = "python3 has no torch";
        }
    }
}
