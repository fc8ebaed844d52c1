using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The generated <c>ExportOnnx</c> of a [Forward] that uses an op with no ONNX rule: the model still
/// compiles (training does not need the export), and <c>ExportOnnx</c> throws, before touching the
/// file, naming each such op and its line.
/// </summary>
public class OnnxExportEmitterTests
{
    [Fact]
    public void AForwardWithALossExportsAsANotSupportedExceptionNamingTheOpAndItsLine()
    {
        const string source = MarkedSource.Usings + """
            [Model]
            public partial class Scorer
            {
                [Dense(3)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x, Label y) => CrossEntropy(Output(x), y);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => Forward(x, y);

                [Optimizer]
                private static Optimizer Optimizer() => new Sgd(0.1f);
            }
            """;
        (GeneratorDriverRunResult run, var diagnostics) = GeneratorHarness.Run(source);

        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        string onnx = run.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Onnx.g.cs")).SourceText.ToString();
        int line = source.Split('\n').ToList().FindIndex(l => l.Contains("CrossEntropy(Output(x), y)")) + 1;
        Assert.Contains("public void ExportOnnx(string path) => throw new global::System.NotSupportedException(", onnx);
        Assert.Contains($"Scorer.Forward cannot be exported to ONNX: it uses CrossEntropy (Model.cs:{line}), which has no ONNX mapping", onnx);
        Assert.DoesNotContain("OnnxExporter.Export", onnx);
    }

    /// <summary>
    /// PyTorch allows more adaptive windows than pixels; ONNX has no adaptive pooling operator, and
    /// the export's two nodes a window made a million-window layer (a fuzzer's mutant) hang the
    /// generator. The model still compiles and trains; only its export refuses, naming the count.
    /// </summary>
    [Fact]
    public void AMillionAdaptiveWindowsCompileAndOnlyTheExportRefusesThem()
    {
        const string source = MarkedSource.Usings + """
            [Model]
            public partial class Spreader
            {
                [AdaptiveAvgPool1d(1 << 20)] private partial Tensor Spread(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(3)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 11)] Tensor x) => Output(Flat(Spread(x)));

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Sgd(0.1f);
            }
            """;
        (GeneratorDriverRunResult run, var diagnostics) = GeneratorHarness.Run(source);

        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        string onnx = run.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Onnx.g.cs")).SourceText.ToString();
        Assert.Contains("public void ExportOnnx(string path) => throw new global::System.NotSupportedException(", onnx);
        Assert.Contains("1048576 adaptive pooling windows along an axis", onnx);
    }
}
