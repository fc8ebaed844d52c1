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

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// <see cref="TinyAttention"/> against PyTorch: the weights written as safetensors by this project
/// (its zero biases made random first) are loaded by <c>bench/torch/tinyattention_crosscheck.py</c>
/// into the same model in torch.nn, with torch.nn.MultiheadAttention(batch_first=True) and the mask
/// triu(ones(T, T), 1), and the loss and gradients of a fixed batch must agree to 1e-4 relative
/// (against torch in float64). Needs Debian's python3 with torch; skipped, saying so, where it is missing.
/// </summary>
public class TinyAttentionTorchTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [TorchFact]
    public void LossAndGradientsMatchPyTorch()
    {
        TinyAttention model = TinyAttentionTests.Model(11);
        using TinyAttention.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        const int batch = 4, t = TinyAttention.Context;
        var random = new Random(12);
        int[] ids = Enumerable.Range(0, batch * t).Select(_ => random.Next(TinyAttention.Vocab)).ToArray();
        int[] next = Enumerable.Range(0, batch * t).Select(_ => random.Next(TinyAttention.Vocab)).ToArray();
        var gradients = new float[TinyAttention.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradients);

        string folder = Directory.CreateTempSubdirectory("tinyattention-torch-").FullName;
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
            SafeTensors.Save(data, tensors, new Dictionary<string, string> { ["loss"] = loss.ToString("R", CultureInfo.InvariantCulture) });

            string script = Path.Combine(RepositoryRoot(), "bench", "torch", "tinyattention_crosscheck.py");
            (int exit, string text) = Run(Python, $"\"{script}\" \"{parameters}\" \"{data}\"");
            output.WriteLine(text);
            Assert.True(exit == 0, "the cross-check script failed:\n" + text);
            string last = text.Trim().Split('\n').Last();
            Assert.StartsWith("max relative error: ", last);
            double worst = double.Parse(last["max relative error: ".Length..], CultureInfo.InvariantCulture);
            Assert.True(worst <= 1e-4, $"TinyAttention differs from PyTorch by {worst:E2} relative:\n{text}");
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
