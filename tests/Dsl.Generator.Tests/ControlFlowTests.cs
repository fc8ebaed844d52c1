using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Compile-time control flow (issue 22, item 1): a model written with <c>for</c>, <c>if</c>,
/// <c>?:</c>, <c>const</c>, <c>static readonly</c> and <c>Math</c>/<c>MathF</c> compiles to exactly
/// the program of the same model written out by hand: the generated files are compared after
/// dropping what only names source lines (<c>#line</c> and <c>(Model.cs:12)</c>). Diagnostics of
/// what cannot be folded are in <see cref="DiagnosticsTests"/> (DSL0017-DSL0020); the compiled
/// programs against their eager reference in the end-to-end tests (<c>Models/Unrolled.cs</c>).
/// </summary>
public class ControlFlowTests
{
    private const string Block = """
        [Module]
        public partial class Block
        {
            [Dense(10)] private partial Tensor Up(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => x + Up(x);
        }

        """;

    private static string Model(string members, string forward) => MarkedSource.Usings + Block + $$"""
        [Model]
        public partial class Classifier
        {
            [Repeat(3)] private partial Block[] Blocks { get; }
            [Dense(2)] private partial Tensor Output(Tensor x);
        {{members}}
            [Forward]
            public Tensor Forward([Shape(10)] Tensor x)
            {
        {{forward}}
            }

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """;

    private const string ForEachForm = """
                foreach (var block in Blocks)
                    x = block.Forward(x);
                return Output(x);
        """;

    [Theory]
    [InlineData("for (int i = 0; i < Blocks.Length; i++) x = Blocks[i].Forward(x); return Output(x);")]
    [InlineData("for (int i = 0; i < 3; ++i) { x = Blocks[i].Forward(x); } return Output(x);")]
    [InlineData("for (int i = 2; i >= 0; i--) x = Blocks[2 - i].Forward(x); return Output(x);")]
    [InlineData("for (int i = 0; i < 6; i += 2) x = Blocks[i / 2].Forward(x); return Output(x);")]
    [InlineData("const int depth = 3; for (int i = 0; i < depth; i++) { var j = i; x = Blocks[j].Forward(x); } return Output(x);")]
    [InlineData("int n = 0; for (int i = 0; i < 3; i++) { x = Blocks[n].Forward(x); n++; } return Output(x);")]
    [InlineData("for (int i = 0; i < 3; i++) { if (i == 3) return Output(Relu(x)); x = Blocks[i].Forward(x); } return Output(x);")]
    [InlineData("for (int i = 0; ; i++) { if (i < 3) x = Blocks[i].Forward(x); else return Output(x); }")]
    public void AForLoopOverAStackCompilesToTheForeachProgram(string loop)
    {
        // The last form has no loop condition: the DSL refuses it (DSL0019) rather than guess.
        if (!loop.Contains("; ;"))
            AssertSameProgram(Model("", ForEachForm), Model("", "        " + loop));
        else
            Assert.Contains(Generate(Model("", "        " + loop)).Run.Diagnostics, d => d.Id == "DSL0019");
    }

    [Fact]
    public void ConstantBranchesConstantsAndMathCompileToTheWrittenOutProgram()
    {
        string written = Model("", """
                x = Blocks[0].Forward(Tanh(x));
                x = Blocks[2].Forward(x) * 0.5f;
                x = Blocks[1].Forward(x);
                return Output(x * 0.25f) + 3;
        """);
        string folded = Model("""
            private const bool UseTanh = true;
            private const int Width = 16;
            private static readonly float Half = 0.5f;
            private static readonly double Third = 1.0 / 3;
            private static readonly float Quarter = 1 / System.MathF.Sqrt(Width);
        """, """
                const int first = 0;
                if (UseTanh) x = Tanh(x); else x = Relu(x);
                x = Blocks[first].Forward(x);
                if (!UseTanh) { x = Relu(x); }
                else if (Width > 8)
                    x = Blocks[Width / 8].Forward(x) * (UseTanh ? Half : 2);
                x = Blocks[(int)Third * 3 + 1].Forward(x);
                float shift = Width > 100 ? 0 : (float)System.Math.Round(Third * 9);
                return Output(x * Quarter) + shift;
        """);
        AssertSameProgram(written, folded, allowWarnings: "DSL0018");
    }

    [Fact]
    public void AStaticReadonlyThatCouldBeConstIsFoldedWithAWarningAtItsDeclaration()
    {
        var (run, _) = Generate(Model("    private static readonly float Half = 0.5f, Root = System.MathF.Sqrt(2);\n", "        foreach (var b in Blocks) x = b.Forward(x); return Output(x * Half * Root);"));
        Diagnostic warning = Assert.Single(run.Diagnostics);
        Assert.Equal("DSL0018", warning.Id);
        Assert.Contains("'Half'", warning.GetMessage());   // Root's initializer is no C# constant: it could not be const
    }

    [Fact]
    public void ALocalChangedInAForeachOverAStackIsNotFoldedOnce()
    {
        // Parsed once and run per module, the body's 's' takes 1, 2, 4: a tensor local, not one constant.
        string source = Model("", """
                float s = 1;
                foreach (var block in Blocks) { x = block.Forward(x) * s; s = s * 2; }
                return Output(x);
        """);
        string written = Model("", """
                x = Blocks[0].Forward(x) * 1;
                x = Blocks[1].Forward(x) * 2;
                x = Blocks[2].Forward(x) * 4;
                return Output(x);
        """);
        var (run, csharp) = Generate(source);
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(csharp, d => d.Severity == DiagnosticSeverity.Error);
        AssertSameProgram(written, source);
    }

    [Fact]
    public void AnErrorInAnUnrolledBodyIsReportedOnce()
    {
        var (run, _) = Generate(Model("", "        for (int i = 0; i < 3; i++) x = Blocks[i].Forward(x) * System.Environment.ProcessorCount; return Output(x);"));
        Assert.Single(run.Diagnostics, d => d.Id == "DSL0020");
    }

    private static (GeneratorDriverRunResult Run, IReadOnlyList<Diagnostic> CSharp) Generate(string source)
    {
        var (run, csharp) = GeneratorHarness.Run(source);
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        return (run, csharp);
    }

    private static void AssertSameProgram(string expectedSource, string actualSource, string? allowWarnings = null)
    {
        var (expected, expectedErrors) = Generate(expectedSource);
        var (actual, actualErrors) = Generate(actualSource);
        Assert.Empty(expected.Diagnostics);
        Assert.Empty(actual.Diagnostics.Where(d => d.Id != allowWarnings || d.Severity != DiagnosticSeverity.Warning));
        Assert.DoesNotContain(expectedErrors, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(actualErrors, d => d.Severity == DiagnosticSeverity.Error);
        Dictionary<string, string> want = Files(expected), got = Files(actual);
        Assert.Equal(want.Keys.OrderBy(k => k), got.Keys.OrderBy(k => k));
        foreach (var (hint, text) in want)
            Assert.True(text == got[hint], hint + " differs:\n" + FirstDifference(text, got[hint]));
    }

    // The ONNX export is included: it names its values by their place in an order of the graph's
    // own structure, not by the IR's value numbers, so two spellings of one model export alike.
    private static Dictionary<string, string> Files(GeneratorDriverRunResult run) => run.Results
        .SelectMany(r => r.GeneratedSources)
        .ToDictionary(s => s.HintName, s => Normalize(s.SourceText.ToString()));

    /// <summary>
    /// Drops what names source lines, and the IR's value numbers in comments (a folded constant
    /// the program never uses still takes a number), which differ between two spellings of one model.
    /// </summary>
    private static string Normalize(string text) => string.Join("\n", text.Split('\n')
        .Where(l => !l.TrimStart().StartsWith("#line", StringComparison.Ordinal))
        .Select(l => Regex.Replace(Regex.Replace(l, @"\s*\(Model\.cs:\d+\)", ""), @"%\d+", "%")));

    private static string FirstDifference(string a, string b)
    {
        string[] x = a.Split('\n'), y = b.Split('\n');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            string l = i < x.Length ? x[i] : "<end>", r = i < y.Length ? y[i] : "<end>";
            if (l != r) return $"line {i + 1}:\n  expected: {l}\n  actual:   {r}";
        }
        return "";
    }
}
