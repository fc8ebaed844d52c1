using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The pipeline re-runs only what an edit touches, in the manner of dotnet/runtime's
/// RegexGeneratorIncrementalTests: run the driver once with step tracking, edit the compilation,
/// run again, and read each tracked step's output reasons (<see cref="DslGenerator.Steps"/>).
/// </summary>
public class IncrementalityTests
{
    private const string ModelPath = "Classifier.cs";

    private static readonly string s_classifier =
        File.ReadAllText(Path.Combine(SnapshotTests.RepositoryRoot(), "samples", "QuickStart", "Classifier.cs"));

    private static readonly string[] s_steps =
    {
        DslGenerator.Steps.Parse, DslGenerator.Steps.Compile, DslGenerator.Steps.Sources, DslGenerator.Steps.Diagnostics,
    };

    [Fact]
    public void SameCompilationAgain_EveryStepIsCached()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(compilation);

        foreach (string step in s_steps)
            AssertReasons(driver, step, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ClassAddedInAnotherFile_NothingReruns()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace QuickStart; public class Unrelated { public int Value => 42; }", GeneratorHarness.ParseOptions, "Unrelated.cs")));

        foreach (string step in s_steps)
            AssertReasons(driver, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void EditInAnotherFile_NothingReruns()
    {
        var (driver, compilation) = RunOnce(s_classifier);
        SyntaxTree other = CSharpSyntaxTree.ParseText("public class Other { }", GeneratorHarness.ParseOptions, "Other.cs");
        compilation = compilation.AddSyntaxTrees(other);
        driver = driver.RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(other,
            CSharpSyntaxTree.ParseText("public class Other { public void Added() { } }", GeneratorHarness.ParseOptions, "Other.cs")));

        foreach (string step in s_steps)
            AssertReasons(driver, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    /// <summary>A comment after the model re-parses the file, but the spec is equal, so nothing downstream re-runs.</summary>
    [Fact]
    public void CommentAddedAfterTheModel_ParseUnchangedRestCached()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(Edit(compilation, s_classifier + "\n// A comment the model does not see.\n"));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Unchanged);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Cached);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Cached);
        AssertReasons(driver, DslGenerator.Steps.Diagnostics, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void LayerWidthChanged_CompileAndSourcesModified()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(Edit(compilation, Replace(s_classifier, "[Dense(16)]", "[Dense(32)]")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Diagnostics, IncrementalStepRunReason.Unchanged);
        Assert.Contains(driver.GetRunResult().GeneratedTrees, t => t.ToString().Contains("[32, 10]", StringComparison.Ordinal));
    }

    [Fact]
    public void InputShapeChanged_CompileAndSourcesModified()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(Edit(compilation, Replace(s_classifier, "[Shape(10)]", "[Shape(12)]")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void OptimizerAttributeRemoved_DiagnosticsModified()
    {
        var (driver, compilation) = RunOnce(s_classifier);

        driver = driver.RunGenerators(Edit(compilation, Replace(s_classifier, "[Optimizer]", "")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Diagnostics, IncrementalStepRunReason.Modified);
        Assert.Contains(driver.GetRunResult().Diagnostics, d => d.Id == "DSL0011");
    }

    /// <summary>
    /// Sources and diagnostics are separate outputs (dotnet/runtime#92509): when an edit above a
    /// broken model only moves its error, the diagnostic is re-reported but the fallback source is not re-added.
    /// </summary>
    [Fact]
    public void ErrorMovedDown_DiagnosticsModifiedSourcesUnchanged()
    {
        string broken = Replace(s_classifier, "[Shape(10)]", "[Shape(-10)]");
        var (driver, compilation) = RunOnce(broken);
        Assert.Contains(driver.GetRunResult().Diagnostics, d => d.Id == "DSL0006");

        driver = driver.RunGenerators(Edit(compilation, "// A line above the model.\n" + broken));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Unchanged);
        AssertReasons(driver, DslGenerator.Steps.Diagnostics, IncrementalStepRunReason.Modified);
    }

    /// <summary>Two models: an edit to one leaves the other's outputs cached.</summary>
    [Fact]
    public void EditToOneModel_LeavesTheOtherCached()
    {
        const string second = """
            using Dsl;
            using static Dsl.Ops;

            namespace QuickStart;

            [Model]
            public partial class Scorer
            {
                [Dense(1)] private partial Tensor Score(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => Score(x);
            }
            """;
        var (driver, compilation) = RunOnce(s_classifier);
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(second, GeneratorHarness.ParseOptions, "Scorer.cs"));
        driver = driver.RunGenerators(compilation);

        driver = driver.RunGenerators(Edit(compilation, Replace(s_classifier, "[Dense(16)]", "[Dense(32)]")));

        var compile = driver.GetRunResult().Results[0].TrackedSteps[DslGenerator.Steps.Compile];
        var reasons = compile.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(IncrementalStepRunReason.Cached, reasons);
    }

    // ---- Helpers ----

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(source, ModelPath);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        foreach (string step in s_steps)
            Assert.True(result.TrackedSteps.ContainsKey(step), $"The pipeline has no step tracked as '{step}': " + string.Join(",", result.TrackedSteps.Keys));
        return (driver, compilation);
    }

    /// <summary>The compilation with the model file's text replaced.</summary>
    private static CSharpCompilation Edit(CSharpCompilation compilation, string newModelText)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == ModelPath);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newModelText, GeneratorHarness.ParseOptions, ModelPath));
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.Contains(oldValue, text, StringComparison.Ordinal);
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }

    private static void AssertReasons(GeneratorDriver driver, string step, params IncrementalStepRunReason[] allowed)
    {
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"The step '{step}' did not run.");
        var reasons = runs!.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.True(reasons.All(allowed.Contains),
            $"Step '{step}': expected {string.Join(" or ", allowed)}, got {string.Join(", ", reasons)}.");
    }
}
