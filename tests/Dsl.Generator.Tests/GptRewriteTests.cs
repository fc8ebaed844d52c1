using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// samples/Gpt's model rewritten as a new user would (issue 22's acceptance): its blocks run by a
/// constant-bounded <c>for</c> rather than <c>foreach</c>, and a [Forward] with a second,
/// per-position head. Both compile to the same steps as the original: the same programs for the
/// loop, and for the two heads the same training step (its loss reads the logits only, so the
/// auxiliary head is not computed there) and a Predict with one GEMM more.
/// </summary>
public class GptRewriteTests
{
    private const string ForLoop = """
                for (int i = 0; i < Layers; i++)
                    x = Blocks[i].Forward(x);
        """;

    private const string ForeachLoop = """
                foreach (var block in Blocks)
                    x = block.Forward(x);
        """;

    /// <summary>The sample as it is, generated once for both tests (a 0.8M-parameter model takes seconds).</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_sample = new(() => Generate(Sample()));

    [Fact]
    public void TheForLoopOverTheBlocksCompilesToTheSameProgramsAsForeach()
    {
        string sample = Sample();
        IReadOnlyDictionary<string, string> withFor = s_sample.Value;
        IReadOnlyDictionary<string, string> withForeach = Generate(Replace(sample, ForLoop, ForeachLoop));

        Assert.Equal(withForeach.Keys.OrderBy(k => k, StringComparer.Ordinal), withFor.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (hint, text) in withFor)
            Assert.True(WithoutSourceLines(withForeach[hint]) == WithoutSourceLines(text), $"{hint} differs between the for and foreach forms.");
    }

    [Fact]
    public void ATwoHeadForwardKeepsTheTrainingStepAndAddsOneGemmToPredict()
    {
        string sample = Sample();
        string twoHeads = Replace(sample, "    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);\n",
            "    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);\n    [Dense(1)] private partial Tensor Aux(Tensor x);\n");
        twoHeads = Replace(twoHeads, "    public Tensor Forward([Shape(Context)] Tokens ids)", "    public (Tensor logits, Tensor aux) Forward([Shape(Context)] Tokens ids)");
        twoHeads = Replace(twoHeads, "        return Head(Norm(x));", "        var h = Norm(x);\n        return (Head(h), Aux(h));");
        twoHeads = Replace(twoHeads, "        var loss = CrossEntropy(Forward(ids), next);", "        var (logits, _) = Forward(ids);\n        var loss = CrossEntropy(logits, next);");
        twoHeads = Replace(twoHeads, "Log(\"val_loss\", CrossEntropy(Forward(ids), next));", "Log(\"val_loss\", CrossEntropy(Forward(ids).logits, next));");

        var (run, compilation) = GeneratorHarness.Run(twoHeads, "Gpt.cs");
        // The one diagnostic is the truth about this rewrite: the training loss does not reach Aux.
        Assert.Equal(new[] { "DSL0226" }, run.Diagnostics.Select(d => d.Id));
        Assert.Empty(compilation.Where(d => d.Severity == DiagnosticSeverity.Error));
        string twoHeadDevice = run.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Device.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        string oneHeadDevice = s_sample.Value.Single(s => s.Key.EndsWith(".Device.g.cs", StringComparison.Ordinal)).Value;

        // The training step's kernel calls, the optimizer's update over all parameters aside (Aux's 129 floats more).
        Assert.Equal(KernelCalls(oneHeadDevice, "TrainStepCore"), KernelCalls(twoHeadDevice, "TrainStepCore"));
        Assert.Equal(KernelCalls(oneHeadDevice, "EvalStepCore"), KernelCalls(twoHeadDevice, "EvalStepCore"));
        List<string> onePredict = KernelCalls(oneHeadDevice, "PredictCore"), twoPredict = KernelCalls(twoHeadDevice, "PredictCore");
        Assert.Equal(onePredict.Count(c => c.Contains("_kernels.Gemm(", StringComparison.Ordinal)) + 1, twoPredict.Count(c => c.Contains("_kernels.Gemm(", StringComparison.Ordinal)));
    }

    /// <summary>The sample's model source, its learning rate (read from the sample's other file) written as a number.</summary>
    private static string Sample()
    {
        string text = File.ReadAllText(Path.Combine(SnapshotTests.RepositoryRoot(), "samples/Gpt/Model/Gpt.cs")).ReplaceLineEndings("\n");
        Assert.Contains(ForLoop, text, StringComparison.Ordinal);
        return Replace(text, "SampleModel.LearningRate", "1e-3f");
    }

    private static string Replace(string text, string what, string with)
    {
        Assert.Contains(what, text, StringComparison.Ordinal);
        return text.Replace(what, with, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> Generate(string source)
    {
        var (run, compilation) = GeneratorHarness.Run(source, "Gpt.cs");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compilation.Where(d => d.Severity == DiagnosticSeverity.Error));
        return run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    /// <summary>The text without what cites the user's lines (<c>#line 50 "Gpt.cs"</c>, <c>(Gpt.cs:50)</c>), which the rewrite moves.</summary>
    private static string WithoutSourceLines(string text) =>
        Regex.Replace(Regex.Replace(text, @"#line \d+ ""Gpt\.cs""", "#line"), @"\(Gpt\.cs:\d+\)", "(Gpt.cs)");

    /// <summary>
    /// The kernel launches of one method of the device program, in order, but for the optimizer's
    /// update. A fused kernel is named by its OpenCL C text rather than its launch index or name,
    /// which count the kernels of every entry (the two-head Predict adds one before the training step's).
    /// </summary>
    private static List<string> KernelCalls(string device, string method)
    {
        int start = device.IndexOf(" " + method + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{method} not found");
        int end = device.IndexOf("\n        }", start, StringComparison.Ordinal);
        string[] fused = FusedKernelTexts(device);
        // Scratch buffers are the program's, numbered over all its entries: named here in the order the method first uses them.
        var slots = new Dictionary<string, string>();
        return device[start..end].Split('\n').Select(l => l.Trim())
            .Where(l => (l.StartsWith("_kernels.", StringComparison.Ordinal) || l.StartsWith("_fused.", StringComparison.Ordinal)) && !l.Contains("Update(", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l, @"^_fused\.Launch\((\d+),", m => "_fused.Launch(" + fused[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] + ","))
            .Select(l => Regex.Replace(l, @"_slot\d+", m => slots.TryGetValue(m.Value, out string? name) ? name : slots[m.Value] = "scratch" + slots.Count))
            .Select(l => Regex.Replace(l, @" // \w+Fused\d+$", ""))
            .ToList();
    }

    /// <summary>Each fused kernel's OpenCL C from its parameter list on, in launch-index order (the order of <c>FusedSources</c>' names).</summary>
    private static string[] FusedKernelTexts(string device)
    {
        Match names = Regex.Match(device, @"FusedSources = new\(""[^""]*"", \[(?<names>[^\]]*)\]\)");
        Assert.True(names.Success, "FusedSources not found");
        return names.Groups["names"].Value.Split(',').Select(n => n.Trim().Trim('"')).Select(name =>
        {
            int at = device.IndexOf("__kernel void " + name + "(", StringComparison.Ordinal);
            Assert.True(at >= 0, $"kernel {name} not found");
            int bodyStart = at + ("__kernel void " + name).Length;
            return device[bodyStart..device.IndexOf("\n                }", bodyStart, StringComparison.Ordinal)];
        }).ToArray();
    }
}
