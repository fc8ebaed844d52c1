using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The generated source of the sample models, compared byte for byte with the checked-in
/// <c>Snapshots/{Model}/{HintName}.verified.cs</c> files, which exist so a reviewer can read what
/// the generator writes (the role of System.Text.Json's generator baselines). The set of files is
/// checked too. To accept new output, run the tests with <c>DSL_UPDATE_SNAPSHOTS=1</c> and review
/// the diff.
/// </summary>
public class SnapshotTests
{
    /// <summary>The models whose output is pinned: (snapshot folder, source path from the repository root).</summary>
    public static IEnumerable<object[]> Models => new[]
    {
        new object[] { "QuickStart", "samples/QuickStart/Classifier.cs" },
        new object[] { "Regressor", "tests/Dsl.EndToEnd.Tests/Models/Regressor.cs" },
        new object[] { "Attentive", "tests/Dsl.EndToEnd.Tests/Models/Attentive.cs" },
        new object[] { "Derivatives", "tests/Dsl.EndToEnd.Tests/Functions/Derivatives.cs" },
        new object[] { "BagLm", "tests/Dsl.EndToEnd.Tests/Models/BagLm.cs" },
        new object[] { "Tagger", "tests/Dsl.EndToEnd.Tests/Models/Tagger.cs" },
        new object[] { "Dropper", "tests/Dsl.EndToEnd.Tests/Models/Dropper.cs" },
        new object[] { "TinyAttention", "tests/Dsl.EndToEnd.Tests/Models/TinyAttention.cs" },
        new object[] { "Stacked", "tests/Dsl.EndToEnd.Tests/Models/Stacked.cs" },
        new object[] { "TinyGpt", "tests/Dsl.EndToEnd.Tests/Models/TinyGpt.cs" },
        new object[] { "HandAttention", "tests/Dsl.EndToEnd.Tests/Models/HandAttention.cs" },
        new object[] { "Unrolled", "tests/Dsl.EndToEnd.Tests/Models/Unrolled.cs" },
        new object[] { "Shaper", "tests/Dsl.EndToEnd.Tests/Models/Shaper.cs" },
        new object[] { "Reducer", "tests/Dsl.EndToEnd.Tests/Models/Reducer.cs" },
        new object[] { "Broadcaster", "tests/Dsl.EndToEnd.Tests/Models/Broadcaster.cs" },
        new object[] { "TwoHeads", "tests/Dsl.EndToEnd.Tests/Models/TwoHeads.cs" },
        new object[] { "TinyCnn", "tests/Dsl.EndToEnd.Tests/Models/TinyCnn.cs" },
        new object[] { "TinyBatchNorm", "tests/Dsl.EndToEnd.Tests/Models/TinyBatchNorm.cs" }, // BatchNorm
        // Direct pooling: TinyCnn's pools no longer use im2col, so the grouped and
        // depthwise convolutions here are what pins Im2Col and Col2Im.
        new object[] { "GroupedCnn", "tests/Dsl.EndToEnd.Tests/Models/GroupedCnn.cs" },
        // 1-D and adaptive pooling (issue 19): the 1-D pools as one-row images, and the adaptive ops
        // (max and average, each way) of PyTorch's uneven windows.
        new object[] { "SequencePool", "tests/Dsl.EndToEnd.Tests/Models/SequencePool.cs" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedSourceMatchesSnapshot(string snapshot, string sourcePath)
    {
        IReadOnlyDictionary<string, string> generated = Generate(sourcePath);
        string folder = Path.Combine(TestDirectory(), "Snapshots", snapshot);

        if (Environment.GetEnvironmentVariable("DSL_UPDATE_SNAPSHOTS") == "1")
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            foreach (var (hint, text) in generated)
                File.WriteAllText(Path.Combine(folder, hint.Replace(".g.cs", ".verified.cs")), text);
        }

        string[] expectedFiles = Directory.GetFiles(folder, "*.verified.cs").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray()!;
        Assert.Equal(expectedFiles, generated.Keys.Select(h => h.Replace(".g.cs", ".verified.cs")).OrderBy(f => f, StringComparer.Ordinal).ToArray());
        foreach (var (hint, text) in generated)
        {
            string expected = File.ReadAllText(Path.Combine(folder, hint.Replace(".g.cs", ".verified.cs")));
            Assert.True(expected == text, $"{snapshot}/{hint} differs from its snapshot; run with DSL_UPDATE_SNAPSHOTS=1 and review the diff.\n{FirstDifference(expected, text)}");
        }
    }

    /// <summary>Output must not depend on the machine's culture (STJ's fi-FI lesson: U+2212 minus, decimal comma).</summary>
    [Fact]
    public void OutputIsTheSameUnderACultureWithCommaDecimalsAndUnicodeMinus()
    {
        IReadOnlyDictionary<string, string> invariant = Generate("tests/Dsl.EndToEnd.Tests/Models/Attentive.cs");
        CultureInfo previous = CultureInfo.CurrentCulture;
        var finnish = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        finnish.NumberFormat.NumberDecimalSeparator = ",";
        finnish.NumberFormat.NegativeSign = "\u2212";
        finnish.NumberFormat.NumberGroupSeparator = "\u00a0";
        try
        {
            CultureInfo.CurrentCulture = finnish;
            Assert.Equal(invariant, Generate("tests/Dsl.EndToEnd.Tests/Models/Attentive.cs"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>Every emitted op statement is preceded by the IR it computes, and mapped to the user's line with #line.</summary>
    [Fact]
    public void EveryKernelCallSaysWhichIrItComputesAndWhere()
    {
        string cpu = Generate("samples/QuickStart/Classifier.cs")["QuickStart.Classifier.Cpu.g.cs"];
        string[] lines = cpu.Split('\n');
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("global::Dsl.Kernels.Gemm.") || line.StartsWith("global::Dsl.Kernels.Rows.") && !line.Contains(".Mean(") || line.StartsWith("global::Dsl.Kernels.CpuParallel."))
            {
                Assert.Matches(@"^#line \d+ ""Classifier\.cs""$", lines[i - 1]);
                Assert.Equal("#line default", lines[i + 1]);
                Assert.Matches(@"^// %\d+ = [a-z_]+\(.*\) : [fi]32\[.*\]  \(Classifier\.cs:\d+\)$", lines[i - 2].Trim());
            }
        }
    }

    /// <summary>
    /// The device program's kernel calls are laid out as the CPU program's calls: the IR they compute, then the user's line.
    /// (The gradient copies and the loss and metric reductions after the steps are the program's own, mapped to no line.)
    /// </summary>
    [Fact]
    public void EveryKernelLaunchSaysWhichIrItComputesAndWhere()
    {
        string device = Generate("samples/QuickStart/Classifier.cs")["QuickStart.Classifier.Device.g.cs"];
        string[] lines = device.Split('\n');
        int launches = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (System.Text.RegularExpressions.Regex.IsMatch(line, @"^_(kernels\.(?!Mean\(|Copy\(|Fill\()|fused\.)\w+\("))
            {
                launches++;
                Assert.Matches(@"^#line \d+ ""Classifier\.cs""$", lines[i - 1]);
                Assert.Equal("#line default", lines[i + 1]);
                Assert.Matches(@"^// %\d+ = [a-z_]+\(.*\) : [fi]32\[.*\]  \(Classifier\.cs:\d+\)$", lines[i - 2].Trim());
            }
        }
        Assert.True(launches >= 20, $"only {launches} launches found");
    }

    /// <summary>
    /// Every IR op with inputs appears in the pinned CPU programs, so the emitter's handling of each
    /// is compiled (the snapshot models build in the end-to-end tests) and reviewed. one_hot is the
    /// exception: since cross_entropy's gradient became one cross_entropy_grad, only higher-order
    /// rules (and a cross-entropy weighted per position by an unbatched value) build it.
    /// </summary>
    [Fact]
    public void TheSnapshotModelsExerciseEveryOp()
    {
        string all = string.Concat(Models.SelectMany(m => Generate((string)m[1]).Where(f => f.Key.EndsWith(".Cpu.g.cs")).Select(f => f.Value)));
        // GeluDerivative is GELU's rule in a graph differentiated without GraphBuilder.KeepsGeluFactor
        // (the gradient checks'); a training step builds GELU from NormalCdf, so no model emits it.
        foreach (Ir.OpKind op in Enum.GetValues<Ir.OpKind>().Where(o => !Ir.OpGroups.IsLeaf(o) && !Ir.OpGroups.IsScalarFunctionOp(o) && o is not (Ir.OpKind.OneHot or Ir.OpKind.GeluDerivative)))
            Assert.Contains(" = " + Ir.IrPrinter.OpName(op) + "(", all);
    }

    internal static IReadOnlyDictionary<string, string> Generate(string sourcePath)
    {
        string path = Path.Combine(RepositoryRoot(), sourcePath);
        var (run, compilation) = GeneratorHarness.Run(File.ReadAllText(path), Path.GetFileName(path));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compilation.Where(d => d.Severity == DiagnosticSeverity.Error));
        return run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    private static string TestDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    internal static string RepositoryRoot() => Path.GetFullPath(Path.Combine(TestDirectory(), "..", ".."));

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
            if (i >= e.Length || i >= a.Length || e[i] != a[i])
                return $"line {i + 1}:\n  snapshot:  {(i < e.Length ? e[i] : "<end>")}\n  generated: {(i < a.Length ? a[i] : "<end>")}";
        return "";
    }
}
