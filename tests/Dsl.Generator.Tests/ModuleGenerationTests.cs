using System;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Composition as the generator sees it: modules inside modules, single children, constant
/// indices into a stack, the parameter names they give (PyTorch's state_dict order), and a model
/// that follows an edit to a module declared in another file.
/// </summary>
public class ModuleGenerationTests
{
    private const string Modules = """
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
            [Dense(6, Bias = false)] private partial Tensor Out(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => x + Out(Mix.Forward(Norm(x)));
        }

        [Model]
        public partial class Net
        {
            [Repeat(2)] private partial Layer[] Blocks { get; }
            private partial Layer Extra { get; }
            [Dense(2)] private partial Tensor Head(Tensor x);

            [Forward]
            public Tensor Forward([Shape(3, 6)] Tensor x)
            {
                var h = Blocks[1].Forward(Blocks[0].Forward(x));
                return Head(Extra.Forward(h));
            }
        }
        """;

    [Fact]
    public void ConstantIndicesSingleChildrenAndNestedModules_NameTheirParametersInDeclarationOrder()
    {
        var (run, csharp) = GeneratorHarness.Run(Modules);
        DiagnosticsTests.AssertGeneratorDidNotThrow(run);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(csharp.Where(d => d.Severity == DiagnosticSeverity.Error));

        string[] layer = { "norm.weight", "norm.bias", "mix.proj.weight", "mix.proj.bias", "out.weight" };
        string[] expected = layer.Select(n => "blocks.0." + n)
            .Concat(layer.Select(n => "blocks.1." + n))
            .Concat(layer.Select(n => "extra." + n))
            .Concat(new[] { "head.weight", "head.bias" })
            .ToArray();
        Assert.Equal(expected, ParameterNames(ModelSource(run, "Net")));
        Assert.Contains("new(\"blocks.1.mix.proj.weight\", new[] { 6, 6 }, FanIn: 6)", ModelSource(run, "Net"), StringComparison.Ordinal);
    }

    [Fact]
    public void EachModuleGetsOneGeneratedPartBoundByPrefix()
    {
        var (run, _) = GeneratorHarness.Run(Modules);
        string[] hints = run.Results[0].GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToArray();
        Assert.Contains("Samples.Layer.Module.g.cs", hints);
        Assert.Contains("Samples.Mixer.Module.g.cs", hints);
        string layer = run.Results[0].GeneratedSources.Single(s => s.HintName == "Samples.Layer.Module.g.cs").SourceText.ToString();
        Assert.Contains("_mixChild ??= new(_moduleParameters, _modulePrefix + \"mix.\")", layer, StringComparison.Ordinal);
        Assert.Contains("_moduleParameters.ToTensor(_modulePrefix + \"out.weight\"), null)", layer, StringComparison.Ordinal);
    }

    [Fact]
    public void ModuleEditedInAnotherFile_TheModelFollows()
    {
        const string block = """
            using Dsl;
            namespace Samples;

            [Module]
            public partial class Block
            {
                [Dense(8)] private partial Tensor Up(Tensor x);

                [Forward]
                public Tensor Forward(Tensor x) => Up(x);
            }
            """;
        const string model = """
            using Dsl;
            namespace Samples;

            [Model]
            public partial class Holder
            {
                private partial Block Encoder { get; }

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => Encoder.Forward(x);
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.Compilation(model)
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(block, GeneratorHarness.ParseOptions, "Block.cs"));
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Contains("new(\"encoder.up.weight\", new[] { 8, 4 }", ModelSource(driver.GetRunResult(), "Holder"), StringComparison.Ordinal);

        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == "Block.cs");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old,
            CSharpSyntaxTree.ParseText(block.Replace("[Dense(8)]", "[Dense(5)]", StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Block.cs")));
        Assert.Contains("new(\"encoder.up.weight\", new[] { 5, 4 }", ModelSource(driver.GetRunResult(), "Holder"), StringComparison.Ordinal);
    }

    /// <summary>Tokens flow into a module's [Forward] like a Tensor does, and an Embedding inside a module is named under it.</summary>
    [Fact]
    public void TokensAndEmbeddingsInsideModules()
    {
        const string source = """
            using Dsl;
            using static Dsl.Ops;
            namespace Samples;

            [Module]
            public partial class Embedder
            {
                [Embedding(16, 4)] private partial Tensor Table(Tokens ids);
                [Embedding(5, 4)] private partial Tensor Positions(Tokens positions);

                [Forward]
                public Tensor Forward(Tokens ids) => Table(ids) + Positions(Arange(5));
            }

            [Module]
            public partial class Mlp
            {
                [Dense(4)] private partial Tensor Up(Tensor x);
                [Forward] public Tensor Forward(Tensor x) => x + Gelu(Up(x));
            }

            [Model]
            public partial class Lm
            {
                private partial Embedder Input { get; }
                [Repeat(2)] private partial Mlp[] Blocks { get; }
                [Dense(16)] private partial Tensor Head(Tensor x);

                [Forward]
                public Tensor Forward([Shape(5)] Tokens ids)
                {
                    var x = Input.Forward(ids);
                    foreach (Mlp block in Blocks) x = block.Forward(x);
                    return Head(x);
                }

                [TrainingStep]
                public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

                [Optimizer]
                private static Optimizer Optimizer() => new AdamW(learningRate: 1e-3f, weightDecay: 0.1f);
            }
            """;
        var (run, csharp) = GeneratorHarness.Run(source);
        DiagnosticsTests.AssertGeneratorDidNotThrow(run);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(csharp.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(
            new[] { "input.table.weight", "input.positions.weight", "blocks.0.up.weight", "blocks.0.up.bias", "blocks.1.up.weight", "blocks.1.up.bias", "head.weight", "head.bias" },
            ParameterNames(ModelSource(run, "Lm")));
    }

    private static string ModelSource(GeneratorDriverRunResult run, string model) =>
        run.Results[0].GeneratedSources.Single(s => s.HintName == "Samples." + model + ".Model.g.cs").SourceText.ToString();

    private static string[] ParameterNames(string modelSource) =>
        Regex.Matches(modelSource, "^\\s*new\\(\"([^\"]+)\", new\\[\\]", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
}
