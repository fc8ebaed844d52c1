using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Dsl.Tests.Shared;
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

    // ---- Issue 21: edits that keep a model's meaning leave its pipeline cached ----

    private static readonly string s_gptDirectory = Path.Combine(SnapshotTests.RepositoryRoot(), "samples", "Gpt", "Model");
    private static readonly string s_gpt = File.ReadAllText(Path.Combine(s_gptDirectory, "Gpt.cs"));

    /// <summary>
    /// The edit the issue timed: the comment at the end of a line of the Gpt sample's block
    /// reworded. Every offset after it moved, no line or column of code did: before the fix
    /// (offsets compared in <c>LocationInfo</c>) Parse was Modified and the whole model recompiled.
    /// </summary>
    [Fact]
    public void Gpt_CommentAtTheEndOfACodeLineEdited_ParseUnchangedRestCached()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));

        driver = driver.RunGenerators(EditFile(compilation, "Gpt.cs", Replace(s_gpt, "// x: [Context, Width]", "// x: the residual stream, [Context, Width]")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Unchanged);
        AssertReasons(driver, DslGenerator.Steps.Module, IncrementalStepRunReason.Unchanged);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Cached);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Cached);
        AssertReasons(driver, DslGenerator.Steps.Diagnostics, IncrementalStepRunReason.Cached);
    }

    /// <summary>The Gpt sample's doc comment reworded (same lines, other offsets): nothing recompiles.</summary>
    [Fact]
    public void Gpt_DocCommentReworded_ParseUnchangedRestCached()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));

        driver = driver.RunGenerators(EditFile(compilation, "Gpt.cs", Replace(s_gpt, "/// One pre-LN transformer block:", "/// One pre-LN (GPT-2 style) transformer block:")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Unchanged);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Cached);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Cached);
    }

    /// <summary>An edit that changes the Gpt model's meaning still recompiles it (the cache is not stale).</summary>
    [Fact]
    public void Gpt_MetricRenamedInTheTrainingStep_CompileAndSourcesModified()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));

        driver = driver.RunGenerators(EditFile(compilation, "Gpt.cs", Replace(s_gpt, "Log(\"train_loss\", loss);", "Log(\"loss\", loss);")));

        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Sources, IncrementalStepRunReason.Modified);
        Assert.Contains(driver.GetRunResult().GeneratedTrees, t => t.ToString().Contains("\"loss\"", StringComparison.Ordinal));
    }

    /// <summary>Ten models in one file, one's activation changed (same length): only that model recompiles.</summary>
    [Fact]
    public void TenModels_OneModelsForwardEdited_OnlyThatModelRecompiles()
    {
        string source = IncrementalModels.TenModels();
        var (driver, compilation) = RunFiles(("TenModels.cs", source));

        driver = driver.RunGenerators(EditFile(compilation, "TenModels.cs", IncrementalModels.ChangeActivation(source, 3)));

        AssertCounts(driver, DslGenerator.Steps.Parse, (IncrementalStepRunReason.Modified, 1), (IncrementalStepRunReason.Unchanged, IncrementalModels.Count - 1));
        AssertCounts(driver, DslGenerator.Steps.Compile, (IncrementalStepRunReason.Modified, 1), (IncrementalStepRunReason.Cached, IncrementalModels.Count - 1));
        AssertCounts(driver, DslGenerator.Steps.Sources, (IncrementalStepRunReason.Modified, 1), (IncrementalStepRunReason.Cached, IncrementalModels.Count - 1));
    }

    /// <summary>
    /// One model's metric renamed (a longer line): every later model's offsets move, but only the
    /// edited model recompiles.
    /// </summary>
    [Fact]
    public void TenModels_OneModelsBodyLengthened_OnlyThatModelRecompiles()
    {
        string source = IncrementalModels.TenModels();
        var (driver, compilation) = RunFiles(("TenModels.cs", source));

        driver = driver.RunGenerators(EditFile(compilation, "TenModels.cs", IncrementalModels.RenameMetric(source, 3)));

        AssertCounts(driver, DslGenerator.Steps.Parse, (IncrementalStepRunReason.Modified, 1), (IncrementalStepRunReason.Unchanged, IncrementalModels.Count - 1));
        AssertCounts(driver, DslGenerator.Steps.Compile, (IncrementalStepRunReason.Modified, 1), (IncrementalStepRunReason.Cached, IncrementalModels.Count - 1));
    }

    /// <summary>The ten models' file header comment reworded: no model recompiles.</summary>
    [Fact]
    public void TenModels_HeaderCommentReworded_NothingRecompiles()
    {
        string source = IncrementalModels.TenModels();
        var (driver, compilation) = RunFiles(("TenModels.cs", source));

        driver = driver.RunGenerators(EditFile(compilation, "TenModels.cs", IncrementalModels.RewordHeaderComment(source)));

        AssertCounts(driver, DslGenerator.Steps.Parse, (IncrementalStepRunReason.Unchanged, IncrementalModels.Count));
        AssertCounts(driver, DslGenerator.Steps.Compile, (IncrementalStepRunReason.Cached, IncrementalModels.Count));
        AssertCounts(driver, DslGenerator.Steps.Sources, (IncrementalStepRunReason.Cached, IncrementalModels.Count));
    }

    /// <summary>
    /// A broken model's cached diagnostic, after a comment above it got longer, is reported at
    /// the same code in the new text, not at its old offsets.
    /// </summary>
    [Fact]
    public void CommentAboveABrokenModelLengthened_CachedDiagnosticPlacedInTheNewText()
    {
        string broken = "// Header.\n" + Replace(s_classifier, "[Shape(10)]", "[Shape(-10)]");
        var (driver, compilation) = RunOnce(broken);
        Diagnostic before = driver.GetRunResult().Diagnostics.Single(d => d.Id == "DSL0006");
        string flagged = before.Location.SourceTree!.ToString().Substring(before.Location.SourceSpan.Start, before.Location.SourceSpan.Length);

        driver = driver.RunGenerators(Edit(compilation, "// A much longer header, so every offset below moves.\n" + broken.Substring("// Header.\n".Length)));

        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Cached);
        Diagnostic after = driver.GetRunResult().Diagnostics.Single(d => d.Id == "DSL0006");
        Assert.Equal(before.Location.GetLineSpan().Span, after.Location.GetLineSpan().Span);
        Assert.Equal(flagged, after.Location.SourceTree!.ToString().Substring(after.Location.SourceSpan.Start, after.Location.SourceSpan.Length));
        Assert.NotEqual(before.Location.SourceSpan.Start, after.Location.SourceSpan.Start);
    }

    // ---- Issue 21, fifth pass: a parse reused across an edit of its own file, outside what it read ----

    /// <summary>
    /// The Gpt model's body edited: the block declared above it in the same file is not parsed
    /// again (the [Module] step returns the very object of the run before), the model is.
    /// </summary>
    [Fact]
    public void Gpt_MetricRenamed_BlockParseReusedModelParsedAgain()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));
        object block = StepValue(driver, DslGenerator.Steps.Module), model = StepValue(driver, DslGenerator.Steps.Parse);

        driver = driver.RunGenerators(EditFile(compilation, "Gpt.cs", Replace(s_gpt, "Log(\"train_loss\", loss);", "Log(\"loss\", loss);")));

        Assert.Same(block, StepValue(driver, DslGenerator.Steps.Module));
        Assert.NotSame(model, StepValue(driver, DslGenerator.Steps.Parse));
        // The model's own reading of the block it holds is replayed, not read again.
        Assert.Same(((Specs.ParseResult)model).Model!.Modules.Single(), ((Specs.ParseResult)StepValue(driver, DslGenerator.Steps.Parse)).Model!.Modules.Single());
    }

    /// <summary>The comment at the end of a line of the Gpt sample's block reworded: neither the block nor the model is parsed again.</summary>
    [Fact]
    public void Gpt_CommentAtTheEndOfACodeLineEdited_NothingParsedAgain()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));
        object block = StepValue(driver, DslGenerator.Steps.Module), model = StepValue(driver, DslGenerator.Steps.Parse);

        driver = driver.RunGenerators(EditFile(compilation, "Gpt.cs", Replace(s_gpt, "// x: [Context, Width]", "// x: the residual stream, [Context, Width]")));

        Assert.Same(block, StepValue(driver, DslGenerator.Steps.Module));
        Assert.Same(model, StepValue(driver, DslGenerator.Steps.Parse));
    }

    /// <summary>A line added above the Gpt sample's block: both are parsed again, so their locations are the new lines.</summary>
    [Fact]
    public void Gpt_LineAddedAboveTheBlock_BothParsedAgain()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));
        object block = StepValue(driver, DslGenerator.Steps.Module), model = StepValue(driver, DslGenerator.Steps.Parse);

        compilation = EditFile(compilation, "Gpt.cs", Replace(s_gpt, "[Module]", "// Stacked by Gpt below.\n[Module]"));
        driver = driver.RunGenerators(compilation);

        Assert.NotSame(block, StepValue(driver, DslGenerator.Steps.Module));
        Assert.NotSame(model, StepValue(driver, DslGenerator.Steps.Parse));
        AssertAsAColdRun(driver, compilation);
    }

    /// <summary>The value the step's single output holds in the driver's last run.</summary>
    private static object StepValue(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].Single().Outputs.Single().Value;

    /// <summary>The Gpt sample's block edited (GELU to ReLU): the module and the model holding it are parsed and compiled again.</summary>
    [Fact]
    public void Gpt_BlockBodyEdited_ModuleAndModelModified()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));
        string before = GptSource(driver);

        compilation = EditFile(compilation, "Gpt.cs", Replace(s_gpt, "Drop(Down(Gelu(Up(Norm2(x)))))", "Drop(Down(Relu(Up(Norm2(x)))))"));
        driver = driver.RunGenerators(compilation);

        AssertReasons(driver, DslGenerator.Steps.Module, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(driver, DslGenerator.Steps.Compile, IncrementalStepRunReason.Modified);
        Assert.NotEqual(before, GptSource(driver));
        AssertAsAColdRun(driver, compilation);
    }

    /// <summary>
    /// Edits of the Gpt sample's file in turn, each kept by the next (the model's body, a comment in
    /// the block, a line above the block, the block's body, a line split inside the block): after
    /// each, the generated files and diagnostics are a fresh driver's, byte for byte and line for line.
    /// </summary>
    [Fact]
    public void Gpt_EditsInTurn_OutputsAsAColdRun()
    {
        var (driver, compilation) = RunFiles(("Gpt.cs", s_gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(s_gptDirectory, "SampleModel.cs"))));
        string text = s_gpt;
        foreach ((string from, string to) in new[]
        {
            ("Log(\"train_loss\", loss);", "Log(\"loss\", loss);"),
            ("// x: [Context, Width]", "// x: the residual stream, [Context, Width]"),
            ("[Module]", "// Stacked by Gpt below.\n[Module]"),
            ("Drop(Down(Gelu(Up(Norm2(x)))))", "Drop(Down(Relu(Up(Norm2(x)))))"),
            ("x = x + Drop(Attention(Norm1(x)));", "x = x\n        + Drop(Attention(Norm1(x)));"),
        })
        {
            text = Replace(text, from, to);
            compilation = EditFile(compilation, "Gpt.cs", text);
            driver = driver.RunGenerators(compilation);
            AssertAsAColdRun(driver, compilation);
        }
    }

    private const string ModelsSharingNestedModules = """
        using Dsl;
        using static Dsl.Ops;

        namespace Samples;

        [Module]
        public partial class Mixer
        {
            [Dense(6)] private partial Tensor Proj(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => Tanh(Proj(x));
        }

        [Module]
        public partial class Layer
        {
            [LayerNorm] private partial Tensor Norm(Tensor x);
            private partial Mixer Mix { get; }

            [Forward]
            public Tensor Forward(Tensor x) => x + Mix.Forward(Norm(x));
        }

        [Model]
        public partial class Net
        {
            [Repeat(2)] private partial Layer[] Blocks { get; }
            [Dense(2)] private partial Tensor Head(Tensor x);

            [Forward]
            public Tensor Forward([Shape(3, 6)] Tensor x) => Head(Blocks[1].Forward(Blocks[0].Forward(x)));
        }

        [Model]
        public partial class MixerFirst
        {
            private partial Mixer Pre { get; }
            private partial Layer Body { get; }

            [Forward]
            public Tensor Forward([Shape(6)] Tensor x) => Body.Forward(Pre.Forward(x));
        }
        """;

    /// <summary>
    /// Two models holding the same modules, reached in different orders (Net reads Mixer inside
    /// Layer, MixerFirst before it): after edits of each model's body and of the inner module's,
    /// the outputs are a fresh driver's (module readings are replayed only where a fresh one would
    /// fill the catalog alike).
    /// </summary>
    [Fact]
    public void ModelsSharingNestedModules_EditsInTurn_OutputsAsAColdRun()
    {
        var (driver, compilation) = RunFiles(("Models.cs", ModelsSharingNestedModules));
        string text = ModelsSharingNestedModules;
        foreach ((string from, string to) in new[]
        {
            ("=> Body.Forward(Pre.Forward(x));", "=> Body.Forward(Pre.Forward(Relu(x)));"),
            ("=> Head(Blocks[1]", "=> Head(Blocks[0]"),
            ("=> Tanh(Proj(x));", "=> Sigmoid(Proj(x));"),
        })
        {
            text = Replace(text, from, to);
            compilation = EditFile(compilation, "Models.cs", text);
            driver = driver.RunGenerators(compilation);
            AssertAsAColdRun(driver, compilation);
        }
    }

    private const string ModuleWithoutForwardAboveAModel = """
        using Dsl;
        using static Dsl.Ops;

        namespace Samples;

        [Module]
        public partial class Helper
        {
            [Dense(4)] private partial Tensor Up(Tensor x);

            public Tensor Apply(Tensor x) => Up(x);
        }

        [Model]
        public partial class Holder
        {
            [Dense(2)] private partial Tensor Out(Tensor x);

            [Forward]
            public Tensor Forward([Shape(4)] Tensor x) => Out(x);
        }
        """;

    /// <summary>
    /// A module's diagnostic (DSL0120, at its name on line 7) stays on line 7 when only the model below
    /// it is edited (the module's parse reused), and moves to line 8 when a line is added above it.
    /// </summary>
    [Fact]
    public void ModuleDiagnostic_AfterEditsBelowAndAbove_AtTheModulesLineInTheNewText()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(ModuleWithoutForwardAboveAModel, ModelPath);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Equal(6, ModuleDiagnosticLine(driver));

        string below = Replace(ModuleWithoutForwardAboveAModel, "=> Out(x);", "=> Out(Relu(x));");
        compilation = Edit(compilation, below);
        driver = driver.RunGenerators(compilation);
        Assert.Equal(6, ModuleDiagnosticLine(driver));
        AssertAsAColdRun(driver, compilation);

        compilation = Edit(compilation, Replace(below, "[Module]", "// Not used by Holder.\n[Module]"));
        driver = driver.RunGenerators(compilation);
        Assert.Equal(7, ModuleDiagnosticLine(driver));
        AssertAsAColdRun(driver, compilation);
    }

    /// <summary>The zero-based line of the single DSL0120, checking that it marks the module's name in the current text.</summary>
    private static int ModuleDiagnosticLine(GeneratorDriver driver)
    {
        Diagnostic diagnostic = driver.GetRunResult().Diagnostics.Single(d => d.Id == "DSL0120");
        Assert.Equal("Helper", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        return diagnostic.Location.GetLineSpan().StartLinePosition.Line;
    }

    private static string GptSource(GeneratorDriver driver) =>
        driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Gpt.Gpt.Cpu.g.cs", StringComparison.Ordinal)).ToString();

    /// <summary>The driver's generated files and diagnostics are those a fresh driver makes from <paramref name="compilation"/>.</summary>
    private static void AssertAsAColdRun(GeneratorDriver driver, CSharpCompilation compilation)
    {
        GeneratorDriverRunResult incremental = driver.GetRunResult(), cold = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult();
        Assert.Equal(Files(cold), Files(incremental));
        Assert.Equal(Diagnostics(cold), Diagnostics(incremental));

        static string[] Files(GeneratorDriverRunResult run) =>
            run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath) + "\n" + t).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        static string[] Diagnostics(GeneratorDriverRunResult run) =>
            run.Diagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.Location.SourceSpan + " " + d.GetMessage()).OrderBy(d => d, StringComparer.Ordinal).ToArray();
    }

    // ---- Helpers ----

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunFiles(params (string Path, string Text)[] files)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(files[0].Text, files[0].Path)
            .AddSyntaxTrees(files.Skip(1).Select(f => CSharpSyntaxTree.ParseText(f.Text, GeneratorHarness.ParseOptions, f.Path)));
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return (driver, compilation);
    }

    private static CSharpCompilation EditFile(CSharpCompilation compilation, string path, string newText)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, path));
    }

    /// <summary>The step's outputs have exactly these reasons, this many times each.</summary>
    private static void AssertCounts(GeneratorDriver driver, string step, params (IncrementalStepRunReason Reason, int Count)[] expected)
    {
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var reasons = result.TrackedSteps[step].SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        string actual = string.Join(", ", reasons.GroupBy(r => r).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"));
        string wanted = string.Join(", ", expected.OrderBy(e => e.Reason).Select(e => $"{e.Reason} x{e.Count}"));
        Assert.True(actual == wanted, $"Step '{step}': expected {wanted}, got {actual}.");
    }

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
